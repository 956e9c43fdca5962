"""Duties: the RACI matrix of a project's duties, their assignment and their completions."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accountability import selectors
from accountability.api.base import TargetProjectField, refusals
from accountability.models import (
    Duty,
    DutyAssignment,
    DutyCompletion,
    DutyCompletionAttachment,
    DutyStatus,
    RaciRole,
    Recurrence,
)
from accountability.services import duties
from common.api import ActionInputMixin, FilterSet, IdFilter, VisibleRelatedField, VisibleToMixin
from common.bounds import BoundedJSONParser, column_length
from coproduction.api.reports import FILES_HELP, READ_REFUSALS, AnyAcceptNegotiation, downloads_documented
from coproduction.attachments import EXTENSIONS, MAX_REPORT_ATTACHMENTS
from coproduction.downloads import stored_attachment_download
from coproduction.models import Participation
from partners.models import User

# How many of a duty's latest completions its record shows; the rest are under duty-completions/.
RECENT_COMPLETIONS = 3
# The matrix reads in the order of its name.
RACI_ORDER = {role: position for position, role in enumerate("RACI")}


class DutyPartySerializer(serializers.Serializer):
    """One cell of the responsibility matrix: a participant and the letter it holds."""

    role = serializers.ChoiceField(choices=RaciRole.choices)
    participation = serializers.IntegerField()
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()


class DutyCompletionAttachmentSerializer(serializers.ModelSerializer):
    """A photo or file of the evidence: its label, its checked type, and where to download it."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DutyCompletionAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, attachment: DutyCompletionAttachment) -> str:
        return reverse(
            "duty-completion-attachment",
            kwargs={"pk": attachment.completion_id, "attachment_id": attachment.pk},
            request=self.context.get("request"),
        )


def completions_with_files(completions, user):
    """The completions, each with the files the user may read as `readable_attachments`: a resident sees
    the words of a completion but not its files, which are business records."""
    return completions.prefetch_related(
        Prefetch(
            "attachments",
            to_attr="readable_attachments",
            queryset=DutyCompletionAttachment.objects.filter(completion__in=selectors.duty_evidence(user)),
        )
    )


class DutyCompletionSerializer(serializers.ModelSerializer):
    completed_by_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(source="completed_by")
    attachments = DutyCompletionAttachmentSerializer(
        source="readable_attachments",
        many=True,
        read_only=True,
        help_text="Photos and files of the evidence; empty for callers who may not read them (residents).",
    )

    class Meta:
        model = DutyCompletion
        fields = [
            "id",
            "duty",
            "due_on",
            "completed_at",
            "completed_by",
            "completed_by_name",
            "evidence",
            "attachments",
        ]


class DutySerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    accountable_organisation = serializers.IntegerField(source="accountable.organisation_id", read_only=True)
    matrix = serializers.SerializerMethodField(
        help_text="The Accountable party (exactly one) first, then the Responsible, Consulted and Informed ones."
    )
    recent_completions = DutyCompletionSerializer(many=True, read_only=True)

    class Meta:
        model = Duty
        fields = [
            "id",
            "project",
            "community",
            "title",
            "description",
            "accountable",
            "accountable_organisation",
            "matrix",
            "recurrence",
            "next_due_on",
            "status",
            "created_at",
            "recent_completions",
        ]

    @extend_schema_field(DutyPartySerializer(many=True))
    def get_matrix(self, duty: Duty) -> list[dict]:
        parties = [(RaciRole.ACCOUNTABLE, duty.accountable)]
        parties += [(assignment.role, assignment.participation) for assignment in duty.assignments.all()]
        parties.sort(key=lambda party: RACI_ORDER[party[0]])
        return [
            {
                "role": role,
                "participation": participation.pk,
                "organisation": participation.organisation_id,
                "organisation_name": participation.organisation.name,
            }
            for role, participation in parties
        ]


class DutyCreateInputSerializer(serializers.Serializer):
    project = TargetProjectField(help_text="Id of the project.")
    title = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=column_length(Duty, "title"))
    description = serializers.CharField(required=False, allow_blank=True, default="")
    accountable = VisibleRelatedField(queryset=Participation.objects.all(), help_text="Id of a participation.")
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default=Recurrence.ONCE)
    next_due_on = serializers.DateField()
    responsible = VisibleRelatedField(queryset=Participation.objects.all(), many=True, required=False, default=list)
    consulted = VisibleRelatedField(queryset=Participation.objects.all(), many=True, required=False, default=list)
    informed = VisibleRelatedField(queryset=Participation.objects.all(), many=True, required=False, default=list)


class DutyAssignmentInputSerializer(serializers.Serializer):
    participation = VisibleRelatedField(queryset=Participation.objects.all())
    role = serializers.ChoiceField(
        choices=RaciRole.choices, help_text="R, C or I; the Accountable party is changed with set-accountable."
    )


class DutySetAccountableInputSerializer(serializers.Serializer):
    participation = VisibleRelatedField(queryset=Participation.objects.all())
    reason = serializers.CharField(allow_blank=True)


class DutyCompleteInputSerializer(serializers.Serializer):
    evidence = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(
        required=False, help_text="The occurrence being completed, as last seen; defaults to the current one."
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=f"Photos and files of the evidence (multipart). {FILES_HELP} At most {MAX_REPORT_ATTACHMENTS}.",
    )


class DutyFilter(FilterSet):
    project = IdFilter(help_text="Id of the project.")
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(field_name="accountable__organisation", help_text="Id of the accountable organisation.")
    status = filters.ChoiceFilter(choices=DutyStatus.choices)
    recurrence = filters.ChoiceFilter(choices=Recurrence.choices)
    next_due_on = filters.DateFromToRangeFilter(help_text="next_due_on_after / next_due_on_before (YYYY-MM-DD).")

    class Meta:
        model = Duty
        fields = ["project", "community", "organisation", "status", "recurrence", "next_due_on"]


class DutyViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Duties of the projects the caller sees, each with its responsibility matrix and latest completions."""

    queryset = Duty.objects.select_related("project", "accountable__organisation").prefetch_related(
        Prefetch("assignments", queryset=DutyAssignment.objects.select_related("participation__organisation")),
    )
    serializer_class = DutySerializer
    filterset_class = DutyFilter
    search_fields = ["title", "description"]
    ordering_fields = ["next_due_on", "title", "status", "created_at"]

    def get_queryset(self):
        # Which files a completion shows depends on the caller, so its prefetch is built per request.
        recent = DutyCompletion.objects.select_related("completed_by").order_by("-due_on")
        if not getattr(self, "swagger_fake_view", False):
            recent = completions_with_files(recent, self.request.user)
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("completions", queryset=recent[:RECENT_COMPLETIONS], to_attr="recent_completions")
            )
        )

    def _duty_response(self, duty: Duty, code: int = status.HTTP_200_OK) -> Response:
        """The duty re-read with its matrix, so the answer shows the change just made."""
        return Response(self.get_serializer(self.get_queryset().get(pk=duty.pk)).data, status=code)

    @extend_schema(request=DutyCreateInputSerializer, responses={201: DutySerializer, **refusals("duplicate_title.")})
    def create(self, request):
        """Add a duty to a project with its one Accountable party and the rest of its matrix (officials)."""
        data = self.action_input(DutyCreateInputSerializer)
        duty = duties.duty_create(
            project=data["project"],
            title=data["title"],
            accountable=data["accountable"],
            user=request.user,
            recurrence=data["recurrence"],
            next_due_on=data["next_due_on"],
            description=data["description"],
            responsible=data["responsible"],
            consulted=data["consulted"],
            informed=data["informed"],
        )
        return self._duty_response(duty, status.HTTP_201_CREATED)

    @extend_schema(
        request=DutyAssignmentInputSerializer, responses={200: DutySerializer, **refusals("already_assigned.")}
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Make a participant of the project Responsible, Consulted or Informed on the duty (officials)."""
        duty = self.get_object()
        data = self.action_input(DutyAssignmentInputSerializer)
        duties.duty_assign(duty=duty, participation=data["participation"], role=data["role"], user=request.user)
        return self._duty_response(duty)

    @extend_schema(request=DutyAssignmentInputSerializer, responses={200: DutySerializer, **refusals()})
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        """Take a Responsible, Consulted or Informed role away from a participant (officials)."""
        duty = self.get_object()
        data = self.action_input(DutyAssignmentInputSerializer)
        duties.duty_unassign(duty=duty, participation=data["participation"], role=data["role"], user=request.user)
        return self._duty_response(duty)

    @extend_schema(request=DutySetAccountableInputSerializer, responses={200: DutySerializer, **refusals()})
    @action(detail=True, methods=["post"], url_path="set-accountable")
    def set_accountable(self, request, pk=None):
        """Hand the duty's accountability to another participant, saying why (officials).

        Refusals about the new party are reported under the field `accountable`.
        """
        duty = self.get_object()
        data = self.action_input(DutySetAccountableInputSerializer)
        duties.duty_set_accountable(
            duty=duty, participation=data["participation"], user=request.user, reason=data["reason"]
        )
        return self._duty_response(duty)

    @extend_schema(
        request={"multipart/form-data": DutyCompleteInputSerializer, "application/json": DutyCompleteInputSerializer},
        responses={201: DutyCompletionSerializer, **refusals("already_completed.")},
    )
    @action(detail=True, methods=["post"], parser_classes=[BoundedJSONParser, MultiPartParser])
    def complete(self, request, pk=None):
        """Record the evidence for the duty's current occurrence, words and any photos or files, and move it on.

        Staff of the accountable or a responsible organisation, or an official, may complete it. Files are sent
        as multipart under `attachments`, checked as the partner portal's are (type read from the bytes, size,
        count); a refused file is reported under `attachments` and nothing is written.
        """
        duty = self.get_object()
        data = self.action_input(DutyCompleteInputSerializer)
        completion = duties.duty_complete(
            duty=duty,
            user=request.user,
            evidence=data["evidence"],
            due_on=data.get("due_on"),
            attachments=data["attachments"],
        )
        completion = completions_with_files(DutyCompletion.objects.select_related("completed_by"), request.user).get(
            pk=completion.pk
        )
        return Response(
            DutyCompletionSerializer(completion, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class DutyCompletionFilter(FilterSet):
    duty = IdFilter(help_text="Id of the duty.")
    project = IdFilter(field_name="duty__project", help_text="Id of the project.")
    community = IdFilter(field_name="duty__project__community", help_text="Id of the community.")
    due_on = filters.DateFromToRangeFilter(help_text="due_on_after / due_on_before (YYYY-MM-DD).")
    completed_at = filters.DateFromToRangeFilter(help_text="completed_at_after / completed_at_before (YYYY-MM-DD).")

    class Meta:
        model = DutyCompletion
        fields = ["duty", "project", "community", "due_on", "completed_at"]


class DutyCompletionViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Every recorded completion of the duties the caller sees, with its evidence."""

    queryset = DutyCompletion.objects.select_related("completed_by")
    serializer_class = DutyCompletionSerializer
    filterset_class = DutyCompletionFilter
    search_fields = ["evidence"]
    ordering_fields = ["due_on", "completed_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return completions_with_files(queryset, self.request.user)

    @extend_schema(
        request=None,
        responses={
            **downloads_documented(
                "The file, as an attachment named duty-completion-<id>-<attachment id>.<ext>.",
                EXTENSIONS,
            ),
            **READ_REFUSALS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment",
        content_negotiation_class=AnyAcceptNegotiation,
        filter_backends=[],
        pagination_class=None,
    )
    def attachment(self, request, pk=None, attachment_id=None, format=None):
        """Download one photo or file of the evidence (officials and the project's organisations)."""
        if format is not None:
            raise Http404
        # The words of a completion are read more widely than its files: residents see the one, not the other.
        completion = get_object_or_404(selectors.duty_evidence(request.user), pk=self.get_object().pk)
        return stored_attachment_download(
            get_object_or_404(DutyCompletionAttachment.objects.filter(completion=completion), pk=attachment_id),
            prefix=f"duty-completion-{completion.pk}",
        )


routes = [
    ("duties", DutyViewSet, "duty"),
    ("duty-completions", DutyCompletionViewSet, "duty-completion"),
]
