"""REST resources of projects: the record every other resource hangs from."""
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from common.api import VisibleToMixin

from ..models import Mode, Project, Stage


class ProjectSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    service_item_name = serializers.CharField(source="service_item.name", read_only=True)
    mode = serializers.ChoiceField(choices=Mode.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Project
        fields = [
            "id", "name", "community", "community_name", "service_item", "service_item_name", "description",
            "stage", "start_date", "end_date", "budget", "governance_authority", "government_share",
            "resource_concentration", "mode", "created_at", "updated_at",
        ]


# --- Filters ---------------------------------------------------------------------------------


class ProjectFilter(filters.FilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices)
    mode = filters.ChoiceFilter(choices=Mode.choices)
    start_date = filters.DateFromToRangeFilter(help_text="start_date_after / start_date_before (YYYY-MM-DD).")
    end_date = filters.DateFromToRangeFilter(help_text="end_date_after / end_date_before (YYYY-MM-DD).")

    class Meta:
        model = Project
        fields = ["community", "stage", "mode", "service_item", "start_date", "end_date"]


# --- Viewsets --------------------------------------------------------------------------------


class ProjectViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Projects of the caller's communities and organisations."""

    queryset = Project.objects.select_related("community", "service_item")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    search_fields = ["name", "description", "service_item__name"]
    ordering_fields = ["name", "stage", "start_date", "end_date", "budget", "created_at"]


routes = [
    ("projects", ProjectViewSet, "project"),
]
