"""Supervision reports: each community's weekly and monthly figures, and their CSV."""

from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from accountability.models import PeriodKind, SupervisionReport
from accountability.services.supervision_reports import supervision_report_csv
from common.api import FilterSet, IdFilter, VisibleToMixin
from coproduction.api.responses import REFUSALS


class SupervisionReportSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = SupervisionReport
        fields = [
            "id",
            "community",
            "community_name",
            "period_kind",
            "period_start",
            "period_end",
            "generated_at",
            "data",
        ]


class SupervisionReportFilter(FilterSet):
    community = IdFilter(help_text="Id of the community.")
    period_kind = filters.ChoiceFilter(choices=PeriodKind.choices)
    period_start = filters.DateFromToRangeFilter(help_text="period_start_after / period_start_before (YYYY-MM-DD).")

    class Meta:
        model = SupervisionReport
        fields = ["community", "period_kind", "period_start"]


class SupervisionReportViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Weekly and monthly snapshots of each community's supervision figures, for its officials."""

    queryset = SupervisionReport.objects.select_related("community")
    serializer_class = SupervisionReportSerializer
    filterset_class = SupervisionReportFilter
    search_fields = ["community__name"]
    ordering_fields = ["period_start", "generated_at"]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Rows of section, figure, value."),
            404: REFUSALS[404],
        },
    )
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        """The report as a CSV file, the same as the admin's download."""
        report = self.get_object()
        response = HttpResponse(supervision_report_csv(report), content_type="text/csv; charset=utf-8")
        filename = f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


routes = [
    ("supervision-reports", SupervisionReportViewSet, "supervision-report"),
]
