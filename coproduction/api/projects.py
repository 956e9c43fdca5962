"""REST resources of projects: the record every other resource hangs from, and its lifecycle moves.

The moves call the same domain functions as the pages: `lifecycle.project_transition` (which
runs every app's guards) and `project_services.project_set_authority` (from which the mode follows).
The helpers that read a write's input and the records it names live here too, since every
other resource of the app hangs from a project and imports this module.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ActionInputMixin, ErrorSerializer, FilterSet, VisibleToMixin
from coproduction.api.responses import REFUSALS
from coproduction.models import GovernanceLevel, Mode, Project, ProjectTransition, Stage
from coproduction.services import lifecycle
from coproduction.services import projects as project_services

# The stages a project can leave and those it can reach: `design` is never reached again and
# `closed` never left, so each end of a move has its own, exact set of values.
FROM_STAGES = [(stage.value, stage.label) for stage in Stage if lifecycle.ALLOWED_MOVES[stage]]
TO_STAGES = [
    (stage.value, stage.label) for stage in Stage if any(stage in moves for moves in lifecycle.ALLOWED_MOVES.values())
]
TRANSITION_BLOCKED = "transition_blocked"


# --- Serializers -----------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    service_item_name = serializers.CharField(source="service_item.name", read_only=True)
    mode = serializers.ChoiceField(choices=Mode.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "community",
            "community_name",
            "service_item",
            "service_item_name",
            "description",
            "stage",
            "start_date",
            "end_date",
            "budget",
            "governance_authority",
            "government_share",
            "resource_concentration",
            "mode",
            "created_at",
            "updated_at",
        ]


# The columns ProjectSerializer shows, as `.only()` names for the list.
LIST_COLUMNS = [
    *(name for name in ProjectSerializer.Meta.fields if name not in ("community_name", "service_item_name")),
    "community__name",
    "service_item__name",
]


class ProjectTransitionSerializer(serializers.ModelSerializer):
    from_stage = serializers.ChoiceField(choices=FROM_STAGES, read_only=True)
    to_stage = serializers.ChoiceField(choices=TO_STAGES, read_only=True)

    class Meta:
        model = ProjectTransition
        fields = ["id", "project", "from_stage", "to_stage", "by", "at", "reason"]


class NextStageSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=TO_STAGES)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What must be done first; empty when the move is possible now."
    )


class ProjectDetailSerializer(ProjectSerializer):
    """One project with its history and what each possible move still needs (a fixed number of queries)."""

    transitions = ProjectTransitionSerializer(many=True, read_only=True)
    next_stages = serializers.SerializerMethodField(
        help_text="The stages the project may move to next, each with what is still missing for the move."
    )

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "asset_justification",
            "authority_reason",
            "transitions",
            "next_stages",
        ]

    @extend_schema_field(NextStageSerializer(many=True))
    def get_next_stages(self, project: Project) -> list[dict]:
        moves = lifecycle.ALLOWED_MOVES[project.stage]
        return [
            {"to_stage": stage.value, "missing": lifecycle.missing_for(project, stage)}
            for stage in Stage
            if stage in moves
        ]


class ProjectTransitionInput(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=TO_STAGES)
    reason = serializers.CharField(allow_blank=True, help_text="Why the project moves on; required.")


class ProjectAuthorityInput(serializers.Serializer):
    """Named like the project's own fields, so that a refusal names the field the caller sent."""

    governance_authority = serializers.ChoiceField(choices=GovernanceLevel.choices)
    authority_reason = serializers.CharField(allow_blank=True, help_text="The reason for the judgement; required.")


# --- Filters ---------------------------------------------------------------------------------


class ProjectFilter(FilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices)
    mode = filters.ChoiceFilter(choices=Mode.choices)
    start_date = filters.DateFromToRangeFilter(help_text="start_date_after / start_date_before (YYYY-MM-DD).")
    end_date = filters.DateFromToRangeFilter(help_text="end_date_after / end_date_before (YYYY-MM-DD).")

    class Meta:
        model = Project
        fields = ["community", "stage", "mode", "service_item", "start_date", "end_date"]


# --- Viewsets --------------------------------------------------------------------------------


def _with_everything_missing(refusal: DjangoValidationError) -> DjangoValidationError:
    """The lifecycle refuses a blocked move with a heading and one message per missing thing; the
    error shape has one message, so they are joined into one sentence that names them all."""
    if hasattr(refusal, "error_dict") or any(error.code != TRANSITION_BLOCKED for error in refusal.error_list):
        return refusal
    heading, *missing = refusal.messages
    if not missing:
        return refusal
    return DjangoValidationError(f"{heading} {'; '.join(missing)}.", code=TRANSITION_BLOCKED)


_transition_refusals = {
    **REFUSALS,
    400: OpenApiResponse(
        ErrorSerializer,
        description="transition_blocked (the message names everything still missing), invalid_transition, "
        "or a field error.",
    ),
}


class ProjectViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Projects of the caller's communities and organisations."""

    queryset = Project.objects.select_related("community", "service_item")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    search_fields = ["name", "description", "service_item__name"]
    ordering_fields = ["name", "stage", "start_date", "end_date", "budget", "created_at"]
    detail_actions = {"retrieve", "set_authority", "adopt_current_service_version"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # A list names its community and service-list item only: their other columns (the
            # item's standard, pricing and notes are long texts) are left unread.
            queryset = queryset.only(*LIST_COLUMNS)
        if self.action in self.detail_actions:
            history = ProjectTransition.objects.order_by("at", "pk")
            queryset = queryset.prefetch_related(Prefetch("transitions", history))
        return queryset

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action in self.detail_actions else ProjectSerializer

    @extend_schema(request=ProjectTransitionInput, responses={201: ProjectTransitionSerializer, **_transition_refusals})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the project to its next stage (officials of its community); refused, naming what is
        missing, while a guard of any app blocks the move."""
        project = self.get_object()
        data = self.action_input(ProjectTransitionInput)
        try:
            moved = lifecycle.project_transition(
                project=project, to_stage=data["to_stage"], user=request.user, reason=data["reason"]
            )
        except DjangoValidationError as refusal:
            raise _with_everything_missing(refusal) from refusal
        return Response(ProjectTransitionSerializer(moved).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectAuthorityInput, responses={200: ProjectDetailSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="set-authority")
    def set_authority(self, request, pk=None):
        """Record the official's judgement of governance authority (high or low) with its reason;
        the coproduction mode follows from it and the government's share of contributions."""
        project = self.get_object()
        data = self.action_input(ProjectAuthorityInput)
        project = project_services.project_set_authority(
            project=project, level=data["governance_authority"], reason=data["authority_reason"], user=request.user
        )
        return Response(self.get_serializer(project).data)

    @extend_schema(request=None, responses={200: ProjectDetailSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="adopt-current-service-version")
    def adopt_current_service_version(self, request, pk=None):
        """Move a project still in design from a retired version of its service-list item to the
        published one (officials of its community); 409 already_current when it uses that one."""
        project = project_services.project_adopt_current_service_version(project=self.get_object(), user=request.user)
        return Response(self.get_serializer(project).data)


routes = [
    ("projects", ProjectViewSet, "project"),
]
