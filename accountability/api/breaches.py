"""Breaches of a duty or a deadline, as detection found them, and their resolution."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accountability.api.base import refusals
from accountability.models import Breach, BreachKind, BreachStatus, Sanction, Severity
from accountability.services import breaches
from common.api import ActionInputMixin, FilterSet, IdFilter, VisibleToMixin


class BreachSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Breach
        fields = [
            "id",
            "kind",
            "severity",
            "status",
            "project",
            "community",
            "organisation",
            "organisation_name",
            "duty",
            "due_on",
            "complaint",
            "claim",
            "inspection",
            "description",
            "details",
            "detected_at",
            "updated_at",
            "resolved_at",
            "resolved_by",
            "resolution",
            "sanction",
        ]


class BreachResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True)
    sanction = serializers.ChoiceField(
        choices=Sanction.choices, help_text="Suspension and blacklist also change the organisation's status."
    )


class BreachFilter(FilterSet):
    project = IdFilter(help_text="Id of the project.")
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(help_text="Id of the accountable organisation.")
    kind = filters.ChoiceFilter(choices=BreachKind.choices)
    status = filters.ChoiceFilter(choices=BreachStatus.choices)
    severity = filters.ChoiceFilter(choices=Severity.choices)
    detected_at = filters.DateFromToRangeFilter(help_text="detected_at_after / detected_at_before (YYYY-MM-DD).")

    class Meta:
        model = Breach
        fields = ["project", "community", "organisation", "kind", "status", "severity", "detected_at"]


class BreachViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Breaches: the community's officials and the organisation each one names."""

    queryset = Breach.objects.select_related("project", "organisation")
    serializer_class = BreachSerializer
    filterset_class = BreachFilter
    search_fields = ["description", "organisation__name"]
    ordering_fields = ["detected_at", "updated_at", "severity", "status", "kind"]

    @extend_schema(
        request=BreachResolveInputSerializer, responses={200: BreachSerializer, **refusals("already_resolved.")}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Close the breach with a resolution and a sanction (officials); trust scores are refreshed after it."""
        breach = self.get_object()
        data = self.action_input(BreachResolveInputSerializer)
        breach = breaches.breach_resolve(
            breach=breach, user=request.user, resolution=data["resolution"], sanction=data["sanction"]
        )
        return Response(self.get_serializer(breach).data)


routes = [
    ("breaches", BreachViewSet, "breach"),
]
