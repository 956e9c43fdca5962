"""REST resource of the services app: the service list, and the editing of a draft version by
those who maintain it (through services.list_item_update, as the dashboard does)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ActionInputMixin, ErrorSerializer, FilterSet
from common.bounds import column_length
from partners.models import OrganisationKind
from service_list.models import (
    ELIGIBILITY_FIELDS,
    ListItemStatus,
    Pricing,
    ServiceCategory,
    ServiceListItem,
    ServiceNature,
)
from service_list.services import list_item_update


class ServiceListItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), read_only=True
    )

    class Meta:
        model = ServiceListItem
        fields = [
            "id",
            "code",
            "version",
            "name",
            "category",
            "description",
            "nature",
            "eligible_kinds",
            "standard",
            "pricing",
            "unit_label",
            "unit_price",
            "subsidy_per_unit",
            "pricing_note",
            "needs_specific_assets",
            "specific_assets_note",
            "status",
            "published_at",
        ]


class ServiceListItemUpdateInput(serializers.Serializer):
    """The fields to change on a draft, each optional: those left out keep their value. Only types
    are checked here; the service list's rules are list_item_update's."""

    category = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceCategory.objects.all(), required=False, help_text="Code of the category."
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=column_length(ServiceListItem, "name"))
    description = serializers.CharField(required=False, allow_blank=True)
    nature = serializers.ChoiceField(choices=ServiceNature.choices, required=False)
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices),
        required=False,
        help_text="Every kind of participant that may deliver the service; the kinds left out may not.",
    )
    standard = serializers.CharField(required=False, allow_blank=True)
    pricing = serializers.ChoiceField(choices=Pricing.choices, required=False)
    unit_label = serializers.CharField(
        required=False, allow_blank=True, max_length=column_length(ServiceListItem, "unit_label")
    )
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    subsidy_per_unit = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    pricing_note = serializers.CharField(required=False, allow_blank=True)
    needs_specific_assets = serializers.BooleanField(required=False)
    specific_assets_note = serializers.CharField(
        required=False, allow_blank=True, max_length=column_length(ServiceListItem, "specific_assets_note")
    )

    def validate(self, data):
        kinds = data.pop("eligible_kinds", None)
        if kinds is not None:
            data.update({field: kind in kinds for kind, field in ELIGIBILITY_FIELDS.items()})
        return data


_update_refusals = {
    400: OpenApiResponse(ErrorSerializer, description="A field error, e.g. a paid service without a price."),
    403: OpenApiResponse(ErrorSerializer, description="Only street and district officials and administrators."),
    404: OpenApiResponse(ErrorSerializer, description="No such item among those the caller may see."),
    409: OpenApiResponse(ErrorSerializer, description="not_a_draft: a published or retired version is not edited."),
}


class ServiceListItemFilter(FilterSet):
    nature = filters.ChoiceFilter(choices=ServiceNature.choices)
    status = filters.ChoiceFilter(choices=ListItemStatus.choices)
    category = filters.CharFilter(field_name="category__code", help_text="Code of the service category.")
    eligible_kind = filters.ChoiceFilter(
        choices=OrganisationKind.choices,
        method="filter_eligible_kind",
        help_text="Only items an organisation of this kind may deliver.",
    )

    class Meta:
        model = ServiceListItem
        fields = ["nature", "status", "category", "eligible_kind"]

    def filter_eligible_kind(self, queryset, name, value):
        return queryset.open_to_kind(value)


class ServiceListItemViewSet(ActionInputMixin, viewsets.ReadOnlyModelViewSet):
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

    @extend_schema(request=ServiceListItemUpdateInput, responses={200: ServiceListItemSerializer, **_update_refusals})
    @action(detail=True, methods=["post"], url_path="update")
    def update_draft(self, request, pk=None):
        """Change fields of a draft version before it is published (those who maintain the list);
        a published or retired version is changed by drafting the next version."""
        item = self.get_object()
        changes = self.action_input(ServiceListItemUpdateInput)
        item = list_item_update(item=item, user=request.user, **changes)
        return Response(ServiceListItemSerializer(item).data)


routes = [("service-items", ServiceListItemViewSet, "service-item")]
