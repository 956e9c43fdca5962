"""REST resources of who takes part in a project and what each puts in: participations and contributions.

Both are part of the project's public record, seen by whoever sees the project. A contribution
is recorded through `project_services.contribution_add`, which checks who may record it and recomputes
the project's government share, and so its coproduction mode.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from common.api import MAX_ID, ActionInputMixin, FilterSet, IdFilter, VisibleToMixin
from common.scoping import visible_or_404
from coproduction.api.responses import REFUSALS
from coproduction.models import Contribution, ContributionKind, Participation, ParticipationRole
from coproduction.services import projects as project_services
from partners.models import OrganisationKind

# --- Serializers -----------------------------------------------------------------------------


# `role` also names the RACI letter of a duty's matrix: the participation's choice set gets its own
# enum component by name, rather than one the schema generator would have to guess.
@extend_schema_field(serializers.ChoiceField(choices=ParticipationRole.choices), component_name="ParticipationRoleEnum")
class ParticipationRoleField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ParticipationRole.choices, **kwargs)


class ParticipationSerializer(serializers.ModelSerializer):
    role = ParticipationRoleField(read_only=True)
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_kind = serializers.ChoiceField(
        source="organisation.kind", choices=OrganisationKind.choices, read_only=True
    )

    class Meta:
        model = Participation
        fields = [
            "id",
            "project",
            "project_name",
            "community",
            "organisation",
            "organisation_name",
            "organisation_kind",
            "role",
            "joined_on",
            "left_on",
            "note",
        ]


class ContributionSerializer(serializers.ModelSerializer):
    """Read as the record, written as the input of contribution_add (the read-only fields aside).

    One serializer both ways: `kind` names choice sets of several resources, and the schema can
    name this one after its component only while a single component carries it.
    """

    participation = serializers.IntegerField(
        source="participation_id", min_value=1, max_value=MAX_ID, help_text="Id of the contributing participation."
    )
    organisation = serializers.IntegerField(source="participation.organisation_id", read_only=True)
    organisation_name = serializers.CharField(source="participation.organisation.name", read_only=True)
    contributor_kind = serializers.ChoiceField(
        source="participation.organisation.kind", choices=OrganisationKind.choices, read_only=True
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            "project",
            "participation",
            "organisation",
            "organisation_name",
            "contributor_kind",
            "kind",
            "description",
            "quantity",
            "unit",
            "value",
            "contributed_on",
        ]
        read_only_fields = ["project"]


# --- Filters ---------------------------------------------------------------------------------


class ParticipationFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    role = filters.ChoiceFilter(choices=ParticipationRole.choices)
    organisation_kind = filters.ChoiceFilter(field_name="organisation__kind", choices=OrganisationKind.choices)
    current = filters.BooleanFilter(
        field_name="left_on", lookup_expr="isnull", help_text="true: still taking part; false: has left."
    )
    joined_on = filters.DateFromToRangeFilter(help_text="joined_on_after / joined_on_before (YYYY-MM-DD).")

    class Meta:
        model = Participation
        fields = ["project", "organisation", "community", "role", "organisation_kind", "current", "joined_on"]


class ContributionFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(field_name="participation__organisation", help_text="Id of the contributor.")
    contributor_kind = filters.ChoiceFilter(
        field_name="participation__organisation__kind",
        choices=OrganisationKind.choices,
        help_text="Kind of the contributing organisation, e.g. government for the state's share.",
    )
    kind = filters.ChoiceFilter(choices=ContributionKind.choices)
    contributed_on = filters.DateFromToRangeFilter(
        help_text="contributed_on_after / contributed_on_before (YYYY-MM-DD)."
    )

    class Meta:
        model = Contribution
        fields = ["project", "participation", "organisation", "community", "contributor_kind", "kind", "contributed_on"]


# --- Viewsets --------------------------------------------------------------------------------


class ParticipationViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """The organisations taking part in the projects the caller sees, each in its role."""

    queryset = Participation.objects.select_related("project", "organisation")
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter
    search_fields = ["organisation__name", "project__name", "note"]
    ordering_fields = ["joined_on", "left_on", "role", "organisation__name"]


class ContributionViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """What each participant puts into the projects the caller sees, valued in yuan."""

    queryset = Contribution.objects.select_related("participation__organisation")
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilter
    search_fields = ["description", "participation__organisation__name"]
    ordering_fields = ["contributed_on", "value", "kind"]

    @extend_schema(request=ContributionSerializer, responses={201: ContributionSerializer, **REFUSALS})
    def create(self, request):
        """Record a valued contribution of a participant (officials of the community, or a manager of
        the contributor); the project's government share and coproduction mode are recomputed."""
        data = self.action_input(self.get_serializer_class())
        participation = visible_or_404(
            Participation.objects.select_related("project"), request.user, pk=data.pop("participation_id")
        )
        contribution = project_services.contribution_add(participation=participation, user=request.user, **data)
        contribution = self.queryset.get(pk=contribution.pk)
        return Response(self.get_serializer(contribution).data, status=status.HTTP_201_CREATED)


routes = [
    ("participations", ParticipationViewSet, "participation"),
    ("contributions", ContributionViewSet, "contribution"),
]
