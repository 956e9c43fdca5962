"""REST resource of the services app: the published service list, read-only."""
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from common.api import FilterSet
from partners.models import OrganisationKind

from .models import ListItemStatus, ServiceListItem, ServiceNature


class ServiceListItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    eligible_kinds = serializers.ListField(child=serializers.ChoiceField(choices=OrganisationKind.choices), read_only=True)

    class Meta:
        model = ServiceListItem
        fields = [
            "id", "code", "version", "name", "category", "description", "nature", "eligible_kinds", "standard",
            "pricing", "unit_label", "unit_price", "subsidy_per_unit", "pricing_note", "needs_specific_assets",
            "status", "published_at",
        ]


class ServiceListItemFilter(FilterSet):
    nature = filters.ChoiceFilter(choices=ServiceNature.choices)
    status = filters.ChoiceFilter(choices=ListItemStatus.choices)
    category = filters.CharFilter(field_name="category__code", help_text="Code of the service category.")
    eligible_kind = filters.ChoiceFilter(
        choices=OrganisationKind.choices, method="filter_eligible_kind",
        help_text="Only items an organisation of this kind may deliver.",
    )

    class Meta:
        model = ServiceListItem
        fields = ["nature", "status", "category", "eligible_kind"]

    def filter_eligible_kind(self, queryset, name, value):
        return queryset.open_to_kind(value)


class ServiceListItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The service list is shared by every community; drafts are seen only by those who maintain it."""

    queryset = ServiceListItem.objects.select_related("category")
    serializer_class = ServiceListItemSerializer
    filterset_class = ServiceListItemFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "version", "published_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.all()
        return self.queryset.visible_to(self.request.user)


routes = [("service-items", ServiceListItemViewSet, "service-item")]
