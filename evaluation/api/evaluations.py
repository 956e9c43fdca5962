"""Evaluations of a project's period against its indicators, and their preview."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import MAX_ID, ActionInputMixin, ErrorSerializer, FilterSet, IdFilter, VisibleToMixin
from common.scoping import visible_or_404
from coproduction.models import Participation, Project
from evaluation.api.base import BAD_INPUT, NOT_FOUND
from evaluation.models import Evaluation, Grade, IndicatorScore
from evaluation.services.evaluations import evaluation_create, evaluation_preview
from partners.models import User

EVALUATION_REFUSALS = {
    400: BAD_INPUT,
    403: OpenApiResponse(ErrorSerializer, description="Only an official of the project's community evaluates it."),
    404: NOT_FOUND,
    409: OpenApiResponse(
        ErrorSerializer,
        description="duplicate_period (the period, or part of it, is already evaluated) or final_exists.",
    ),
}


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
    evaluator_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(source="evaluator")
    scores = IndicatorScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "project_name",
            "community",
            "period_start",
            "period_end",
            "is_final",
            "evaluator",
            "evaluator_name",
            "inputs",
            "scores",
            "total",
            "grade",
            "comment",
            "created_at",
        ]


class EvaluationCreateInputSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of the project evaluated.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    evaluator_scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False),
        required=False,
        default=dict,
        help_text="The evaluator's 0..100 score per indicator code, only for the indicators the data cannot score.",
    )
    evidence = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="What each evaluator's score rests on, per indicator code (at most 300 characters each).",
    )
    is_final = serializers.BooleanField(default=False, help_text="The evaluation that closes the project.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationPreviewInputSerializer(EvaluationCreateInputSerializer):
    comment = None  # type: ignore[assignment]  # DRF's way to leave out a field the parent declares


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
        return super().to_representation(
            {
                "inputs": draft.inputs,
                "total": draft.total,
                "grade": draft.grade,
                "scores": [
                    {
                        "indicator_code": indicator.code,
                        "indicator_name": indicator.name,
                        "weight": indicator.weight,
                        "score": score,
                        "note": note,
                    }
                    for indicator, score, note in draft.scores
                ],
            }
        )


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


class EvaluationViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
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
        data = self.action_input(EvaluationCreateInputSerializer)
        project = visible_or_404(Project.objects, request.user, pk=data.pop("project"))
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
        data = self.action_input(EvaluationPreviewInputSerializer)
        project = visible_or_404(Project.objects, request.user, pk=data.pop("project"))
        draft = evaluation_preview(project=project, user=request.user, **data)
        return Response(EvaluationPreviewSerializer(draft).data)


routes = [
    ("evaluations", EvaluationViewSet, "evaluation"),
]
