"""REST resources of the evaluation app: indicators, evaluations, residents' ratings and trust scores.

Writes call the same domain functions as the pages and the admin (`indicators_set`,
`evaluation_create`, `evaluation_preview`, `rating_submit`); their refusals become the API's error shape in common.api.
The record a write names in its body (a service-list item, a project) is looked up among the
records the caller may see first, so another community's record is a 404 before any permission
check, as for a detail URL.
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import MAX_ID, AppendOnlyCursorPagination, ErrorSerializer, FilterSet, IdFilter, VisibleToMixin
from common.bounds import column_length
from coproduction.models import Participation, Project
from partners import roles
from partners.personal_data import contact_viewer_for
from partners.models import OrganisationKind
from services.models import ServiceListItem

from .evaluations import evaluation_create, evaluation_preview
from .indicators import indicators_set
from .models import Evaluation, Grade, Indicator, IndicatorScore, IndicatorSource, Rating, TrustScore
from .ratings import rating_submit


def _visible_or_404(queryset, user, pk: int):
    """The record among those the user may see: someone else's is as absent as a missing one."""
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def _validated(serializer_class, request) -> dict:
    """The shape and types of a write's body; a 400 with field errors when they are wrong."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Documented refusals ---------------------------------------------------------------------

_BAD_INPUT = OpenApiResponse(
    ErrorSerializer, description="Bad input or refused by a rule; field errors name the field."
)
_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such record among those the caller may see.")

INDICATOR_REFUSALS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="The set is refused (weights_sum, weight_range, duplicate_code, invalid_source, target_required, "
                    "indicator_in_use...); every problem is listed under `indicators`.",
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Only administrators and street or district officials set indicators."
    ),
    404: _NOT_FOUND,
}
EVALUATION_REFUSALS = {
    400: _BAD_INPUT,
    403: OpenApiResponse(ErrorSerializer, description="Only an official of the project's community evaluates it."),
    404: _NOT_FOUND,
    409: OpenApiResponse(
        ErrorSerializer,
        description="duplicate_period (the period, or part of it, is already evaluated) or final_exists.",
    ),
}
RATING_REFUSALS = {
    400: _BAD_INPUT,
    403: OpenApiResponse(ErrorSerializer, description="Only residents rate projects."),
    404: _NOT_FOUND,
    409: OpenApiResponse(ErrorSerializer, description="already_rated: the resident has rated this project this month."),
}


# --- Indicators ------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    service_item_name = serializers.CharField(source="service_item.name", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id", "service_item", "service_item_name", "code", "name", "description", "weight", "source", "target",
        ]


class IndicatorRowInputSerializer(serializers.Serializer):
    """One indicator of the proposed set; the rules of the set are the domain's."""

    code = serializers.CharField(
        max_length=column_length(Indicator, "code"), help_text="A slug naming the indicator within the service item."
    )
    name = serializers.CharField(max_length=column_length(Indicator, "name"))
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.IntegerField(help_text="1 to 100; the weights of the set add up to 100.")
    source = serializers.ChoiceField(choices=IndicatorSource.choices)
    target = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, required=False, allow_null=True, default=None,
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


class IndicatorViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
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
        data = _validated(IndicatorSetInputSerializer, request)
        service_item = _visible_or_404(ServiceListItem.objects, request.user, data["service_item"])
        saved = indicators_set(service_item=service_item, indicators=data["indicators"], user=request.user)
        rows = self.queryset.filter(pk__in=[indicator.pk for indicator in saved]).order_by("-weight", "code")
        return Response(IndicatorSerializer(rows, many=True, context=self.get_serializer_context()).data)


# --- Evaluations -----------------------------------------------------------------------------


class IndicatorScoreSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = ["indicator", "indicator_code", "indicator_name", "weight", "score", "note"]


class EvaluationSerializer(serializers.ModelSerializer):
    """An evaluation with the figures it was drawn from (`inputs`) and its score per indicator."""

    project_name = serializers.CharField(source="project.name", read_only=True)
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    evaluator_name = serializers.StringRelatedField(source="evaluator")
    scores = IndicatorScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id", "project", "project_name", "community", "period_start", "period_end", "is_final", "evaluator",
            "evaluator_name", "inputs", "scores", "total", "grade", "comment", "created_at",
        ]


class EvaluationCreateInputSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of the project evaluated.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    evaluator_scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False),
        required=False, default=dict,
        help_text="The evaluator's 0..100 score per indicator code, only for the indicators the data cannot score.",
    )
    evidence = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict,
        help_text="What each evaluator's score rests on, per indicator code (at most 300 characters each).",
    )
    is_final = serializers.BooleanField(default=False, help_text="The evaluation that closes the project.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationPreviewInputSerializer(EvaluationCreateInputSerializer):
    comment = None


class DraftScoreSerializer(serializers.Serializer):
    indicator_code = serializers.CharField()
    indicator_name = serializers.CharField()
    weight = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    note = serializers.CharField()


class EvaluationPreviewSerializer(serializers.Serializer):
    """An evaluation drawn up but not recorded."""

    inputs = serializers.DictField()
    scores = DraftScoreSerializer(many=True)
    total = serializers.DecimalField(max_digits=5, decimal_places=2)
    grade = serializers.ChoiceField(choices=Grade.choices)

    def to_representation(self, draft):
        return super().to_representation({
            "inputs": draft.inputs, "total": draft.total, "grade": draft.grade,
            "scores": [
                {"indicator_code": indicator.code, "indicator_name": indicator.name, "weight": indicator.weight,
                 "score": score, "note": note}
                for indicator, score, note in draft.scores
            ],
        })


class EvaluationFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(
        method="filter_organisation", help_text="Id of an organisation taking part in the evaluated project."
    )
    grade = filters.ChoiceFilter(choices=Grade.choices)
    period_start = filters.DateFromToRangeFilter(help_text="period_start_after / period_start_before (YYYY-MM-DD).")
    period_end = filters.DateFromToRangeFilter(help_text="period_end_after / period_end_before (YYYY-MM-DD).")

    class Meta:
        model = Evaluation
        fields = ["project", "community", "organisation", "grade", "is_final", "period_start", "period_end"]

    def filter_organisation(self, queryset, name, value):
        # A subquery, so that an evaluation is listed once whatever roles the organisation holds.
        return queryset.filter(project__in=Participation.objects.filter(organisation=value).values("project"))


class EvaluationViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Evaluations of the projects the caller sees; officials of the project's community create them."""

    queryset = Evaluation.objects.select_related("project", "evaluator").prefetch_related(
        Prefetch(
            "scores",
            queryset=IndicatorScore.objects.select_related("indicator").order_by("-weight", "indicator__code"),
        )
    )
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    search_fields = ["project__name", "comment"]
    ordering_fields = ["period_start", "period_end", "total", "grade", "created_at"]

    @extend_schema(
        request=EvaluationCreateInputSerializer, responses={201: EvaluationSerializer, **EVALUATION_REFUSALS}
    )
    def create(self, request):
        """Evaluate a project over a period: the data scores what it can, the evaluator scores the rest;
        the inputs used are stored with the evaluation. A final evaluation needs the evaluation stage."""
        data = _validated(EvaluationCreateInputSerializer, request)
        project = _visible_or_404(Project.objects, request.user, data.pop("project"))
        evaluation = evaluation_create(project=project, user=request.user, **data)
        body = self.get_serializer(self.queryset.get(pk=evaluation.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EvaluationPreviewInputSerializer, responses={200: EvaluationPreviewSerializer, **EVALUATION_REFUSALS}
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """The total and grade an evaluation with these scores would get, refused as the creation would be;
        nothing is recorded."""
        data = _validated(EvaluationPreviewInputSerializer, request)
        project = _visible_or_404(Project.objects, request.user, data.pop("project"))
        draft = evaluation_preview(project=project, user=request.user, **data)
        return Response(EvaluationPreviewSerializer(draft).data)


# --- Ratings ---------------------------------------------------------------------------------


class RatingSerializer(serializers.ModelSerializer):
    """Who rated is shown only to those who may see the resident's details (officials of the
    community, the rater): the provider's staff read scores and comments without the names."""

    resident = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True, allow_null=True)

    class Meta:
        model = Rating
        fields = ["id", "project", "resident", "resident_name", "period", "score", "comment", "created_at"]

    def to_representation(self, rating: Rating) -> dict:
        data = super().to_representation(rating)
        if not contact_viewer_for(self.context["request"]).shows_resident_contact(rating.resident):
            data["resident"] = data["resident_name"] = None
        return data


class RatingInputSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of the project rated.")
    score = serializers.IntegerField(help_text="1 (very dissatisfied) to 5 (very satisfied).")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="A day of the month rated; today by default."
    )


class RatingFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    period = filters.DateFromToRangeFilter(help_text="period_after / period_before: months rated (YYYY-MM-DD).")

    class Meta:
        model = Rating
        fields = ["project", "community", "period", "score"]


class RatingViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Residents' monthly ratings: a resident sees their own, officials and the project's staff all."""

    queryset = Rating.objects.select_related("resident")
    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    pagination_class = AppendOnlyCursorPagination
    ordering_fields = ["id", "created_at"]

    @extend_schema(request=RatingInputSerializer, responses={201: RatingSerializer, **RATING_REFUSALS})
    def create(self, request):
        """Rate a project of your community, as the signed-in resident, once a month."""
        data = _validated(RatingInputSerializer, request)
        project = _visible_or_404(Project.objects, request.user, data.pop("project"))
        resident = roles.resident_of(request.user)
        if resident is None:
            raise PermissionDenied(_("Only residents may rate projects."))
        rating = rating_submit(project=project, resident=resident, **data)
        body = self.get_serializer(self.queryset.get(pk=rating.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- Trust scores ----------------------------------------------------------------------------


class TrustScoreSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_kind = serializers.ChoiceField(
        source="organisation.kind", choices=OrganisationKind.choices, read_only=True
    )

    class Meta:
        model = TrustScore
        fields = [
            "id", "organisation", "organisation_name", "organisation_kind", "computed_on", "score",
            "evaluation_component", "breach_component", "details",
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
    ("indicators", IndicatorViewSet, "indicator"),
    ("evaluations", EvaluationViewSet, "evaluation"),
    ("ratings", RatingViewSet, "rating"),
    ("trust-scores", TrustScoreViewSet, "trust-score"),
]
