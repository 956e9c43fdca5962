"""REST resource of periodic job runs, read-only: when each job ran, how it ended, and what it counted."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from common.api import FilterSet, IdFilter, VisibleToMixin
from jobs.models import JobOutcome, JobRun


class JobRunSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True, allow_null=True)
    # A field named `label` shadows Field.label, which a serializer (not a field) never uses.
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text="The job's name in the caller's language."
    )

    class Meta:
        model = JobRun
        fields = [
            "id",
            "job",
            "label",
            "community",
            "community_name",
            "started_at",
            "finished_at",
            "outcome",
            "counts",
            "error",
        ]


class JobRunFilter(FilterSet):
    job = filters.CharFilter(help_text="The job's name, e.g. accountability.recompute.")
    outcome = filters.ChoiceFilter(choices=JobOutcome.choices)
    community = IdFilter(field_name="community", help_text="Id of the community the run was for.")
    all_communities = filters.BooleanFilter(
        field_name="community", lookup_expr="isnull", help_text="true: only runs over all communities at once."
    )
    started_at = filters.IsoDateTimeFromToRangeFilter(
        help_text="started_at_after / started_at_before (ISO 8601 date-time)."
    )

    class Meta:
        model = JobRun
        fields = ["job", "outcome", "community", "all_communities", "started_at"]


class JobRunViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Runs of the periodic jobs: administrators see all; officials those of their communities and those
    over all communities; anyone else an empty list."""

    queryset = JobRun.objects.select_related("community")
    serializer_class = JobRunSerializer
    filterset_class = JobRunFilter
    search_fields = ["job", "error"]
    ordering_fields = ["started_at", "finished_at", "job", "outcome"]


routes = [
    ("job-runs", JobRunViewSet, "job-run"),
]
