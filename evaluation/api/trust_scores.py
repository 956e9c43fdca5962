"""Trust scores: each organisation's standing, as evaluations and ratings computed it."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from common.api import FilterSet, VisibleToMixin
from evaluation.models import TrustScore
from partners.models import OrganisationKind


class TrustScoreSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_kind = serializers.ChoiceField(
        source="organisation.kind", choices=OrganisationKind.choices, read_only=True
    )

    class Meta:
        model = TrustScore
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "organisation_kind",
            "computed_on",
            "score",
            "evaluation_component",
            "breach_component",
            "details",
        ]


class TrustScoreFilter(FilterSet):
    organisation_kind = filters.ChoiceFilter(field_name="organisation__kind", choices=OrganisationKind.choices)
    computed_on = filters.DateFromToRangeFilter(help_text="computed_on_after / computed_on_before (YYYY-MM-DD).")

    class Meta:
        model = TrustScore
        fields = ["organisation", "organisation_kind", "computed_on"]


class TrustScoreViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Partners' daily trust scores, from their evaluations and accountability record (docs/trust-score.md)."""

    queryset = TrustScore.objects.select_related("organisation")
    serializer_class = TrustScoreSerializer
    filterset_class = TrustScoreFilter
    search_fields = ["organisation__name"]
    ordering_fields = ["score", "computed_on"]


routes = [
    ("trust-scores", TrustScoreViewSet, "trust-score"),
]
