"""Risks the platform detected in a community, acknowledged and closed by its officials."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accountability.api.base import refusals
from accountability.models import Risk, RiskKind, RiskStatus, Severity
from accountability.services import risks
from common.api import ActionInputMixin, FilterSet, IdFilter, VisibleToMixin


class RiskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Risk
        fields = [
            "id",
            "kind",
            "severity",
            "status",
            "community",
            "project",
            "organisation",
            "subject_key",
            "rule",
            "summary",
            "details",
            "raised_at",
            "updated_at",
            "closed_at",
        ]


class RiskAcknowledgeInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RiskCloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, help_text="What was found or done about the risk.")


class RiskFilter(FilterSet):
    community = IdFilter(help_text="Id of the community.")
    project = IdFilter(help_text="Id of the project.")
    kind = filters.ChoiceFilter(choices=RiskKind.choices)
    status = filters.ChoiceFilter(choices=RiskStatus.choices)
    severity = filters.ChoiceFilter(choices=Severity.choices)
    raised_at = filters.DateFromToRangeFilter(help_text="raised_at_after / raised_at_before (YYYY-MM-DD).")

    class Meta:
        model = Risk
        fields = ["community", "project", "kind", "status", "severity", "raised_at"]


class RiskViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Risk red flags: the working material of the community's officials."""

    queryset = Risk.objects.all()
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    search_fields = ["summary", "subject_key"]
    ordering_fields = ["raised_at", "updated_at", "severity", "status", "kind"]

    @extend_schema(request=RiskAcknowledgeInputSerializer, responses={200: RiskSerializer, **refusals()})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Say the risk has been seen and is being looked into (officials of its community)."""
        risk = self.get_object()
        data = self.action_input(RiskAcknowledgeInputSerializer)
        risk = risks.risk_acknowledge(risk=risk, user=request.user, note=data["note"])
        return Response(self.get_serializer(risk).data)

    @extend_schema(request=RiskCloseInputSerializer, responses={200: RiskSerializer, **refusals("already_closed.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the risk, saying what was found or done (officials); a rule may raise it again later."""
        risk = self.get_object()
        data = self.action_input(RiskCloseInputSerializer)
        risk = risks.risk_close(risk=risk, user=request.user, note=data["note"])
        return Response(self.get_serializer(risk).data)


routes = [
    ("risks", RiskViewSet, "risk"),
]
