"""Indicators: the weighted set each kind of service list item is evaluated against."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import MAX_ID, ActionInputMixin, ErrorSerializer, FilterSet, VisibleToMixin
from common.bounds import column_length
from common.scoping import visible_or_404
from evaluation.api.base import NOT_FOUND
from evaluation.models import Indicator, IndicatorSource
from evaluation.services.indicators import indicators_set
from service_list.models import ServiceListItem

INDICATOR_REFUSALS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="The set is refused (weights_sum, weight_range, duplicate_code, invalid_source, target_required, "
        "indicator_in_use...); every problem is listed under `indicators`.",
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Only administrators and street or district officials set indicators."
    ),
    404: NOT_FOUND,
}


class IndicatorSerializer(serializers.ModelSerializer):
    service_item_name = serializers.CharField(source="service_item.name", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "service_item",
            "service_item_name",
            "code",
            "name",
            "description",
            "weight",
            "source",
            "target",
        ]


class IndicatorRowInputSerializer(serializers.Serializer):
    """One indicator of the proposed set; the rules of the set are the domain's."""

    code = serializers.CharField(
        max_length=column_length(Indicator, "code"), help_text="A slug naming the indicator within the service item."
    )
    name = serializers.CharField(max_length=column_length(Indicator, "name"))
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.IntegerField(help_text="1 to 100; the weights of the set add up to 100.")
    # Named as the model's field; the stubs see DRF's own Field.source (a string) in the name.
    source = serializers.ChoiceField(choices=IndicatorSource.choices)  # type: ignore[assignment]
    target = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        default=None,
        help_text="For report_outputs: the service units per period that earn full marks.",
    )


class IndicatorSetInputSerializer(serializers.Serializer):
    service_item = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the service-list item whose indicators are replaced."
    )
    indicators = IndicatorRowInputSerializer(many=True, help_text="The whole new set.")


class IndicatorFilter(FilterSet):
    source = filters.ChoiceFilter(choices=IndicatorSource.choices)

    class Meta:
        model = Indicator
        fields = ["service_item", "source"]


class IndicatorViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """How each service on the list is judged: weighted indicators, public to every signed-in user."""

    queryset = Indicator.objects.select_related("service_item")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code", "weight"]

    @extend_schema(
        request=IndicatorSetInputSerializer, responses={200: IndicatorSerializer(many=True), **INDICATOR_REFUSALS}
    )
    @action(detail=False, methods=["post"], url_path="set")
    def set_indicators(self, request):
        """Replace a service item's indicators as a whole: unchanged ones stay, changed ones are updated,
        missing ones are deleted and new ones created. Weights must add up to exactly 100."""
        data = self.action_input(IndicatorSetInputSerializer)
        service_item = visible_or_404(ServiceListItem.objects, request.user, pk=data["service_item"])
        saved = indicators_set(service_item=service_item, indicators=data["indicators"], user=request.user)
        rows = self.queryset.filter(pk__in=[indicator.pk for indicator in saved]).order_by("-weight", "code")
        return Response(IndicatorSerializer(rows, many=True, context=self.get_serializer_context()).data)


routes = [
    ("indicators", IndicatorViewSet, "indicator"),
]
