"""Officials' evaluation pages: evaluate a project (periodic or final), read an evaluation, and see or set
the indicators of the project's service.

The page says before the form what would refuse an evaluation (the project's stage, missing indicators,
a final evaluation already made), drawn from evaluation.services.evaluations; the figures beside the form are the
ones the evaluation will use. Writes call evaluation_create, evaluation_preview and indicators_set only.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from dashboard.forms.evaluation import (
    INDICATOR_BLANK_ROWS,
    EvaluationForm,
    IndicatorFormSet,
    PeriodForm,
    indicator_rows,
)
from dashboard.views.projects import overseen_project_or_404
from evaluation.models import Evaluation, Indicator, IndicatorScore, IndicatorSource
from evaluation.services.evaluations import (
    counted_reports,
    data_score,
    evaluation_create,
    evaluation_inputs,
    evaluation_outlook,
    evaluation_preview,
)
from evaluation.services.indicators import indicators_set, may_maintain_indicators
from partners.models import Community
from web.access import official_required
from web.workflows import call_service

REPORTS_SHOWN = 100


def _indicators(project, user) -> list[Indicator]:
    indicators = Indicator.objects.visible_to(user).filter(service_item=project.service_item)
    return list(indicators.order_by("-weight", "code"))


def _figures(project, indicators: list[Indicator], period: tuple[date, date] | None) -> dict:
    """What the evaluation of the period draws from the data: each indicator's score, the inputs, the reports."""
    if period is None:
        # Without a period only the evaluator's own indicators are known to need the evaluator.
        return {
            "inputs": None,
            "rows": [
                {"indicator": indicator, "drawn": None, "judged": indicator.source == IndicatorSource.EVALUATOR}
                for indicator in indicators
            ],
        }
    start, end = period
    inputs = evaluation_inputs(project=project, period_start=start, period_end=end)
    reports = counted_reports(project=project, period_start=start, period_end=end)
    drawn = {indicator.code: data_score(indicator=indicator, inputs=inputs) for indicator in indicators}
    return {
        "rows": [{"indicator": i, "drawn": drawn[i.code], "judged": drawn[i.code] is None} for i in indicators],
        "inputs": inputs,
        "reports": reports.select_related("organisation").order_by("period_start", "pk")[:REPORTS_SHOWN],
    }


def _period_shown(data, outlook) -> tuple[date, date] | None:
    """The period typed in the form when it is a valid one, else the next period to evaluate."""
    typed = PeriodForm(data).period() if data is not None else None
    return typed or outlook.next_period


@official_required
def project_evaluation(request, pk):
    """The project's indicators with the period's figures, the form to evaluate it, and its past evaluations.

    "Preview" draws the evaluation up (total and grade) without recording it; "Record" records it.
    """
    project = overseen_project_or_404(request.user, pk)
    outlook = evaluation_outlook(project=project)
    data = request.POST if request.method == "POST" else None
    period = _period_shown(data, outlook)
    indicators = _indicators(project, request.user) if not outlook.indicators_missing else []
    figures = _figures(project, indicators, period)
    initial = {"period_start": period[0], "period_end": period[1]} if period else {}
    form = EvaluationForm(
        data,
        initial=initial,
        judged=[row["indicator"] for row in figures["rows"] if row["judged"]],
        final_allowed=outlook.final_refusal is None,
    )
    draft = None
    if data is not None and form.is_valid():
        if "preview" in data:
            draft = call_service(form, evaluation_preview, project=project, user=request.user, **form.draft_arguments())
        else:
            evaluation = call_service(
                form, evaluation_create, project=project, user=request.user, **form.service_arguments()
            )
            if evaluation is not None:
                messages.success(
                    request,
                    _("Evaluation recorded: grade %(grade)s (%(label)s), total %(total)s.")
                    % {
                        "grade": evaluation.grade,
                        "label": evaluation.get_grade_display(),
                        "total": evaluation.total,
                    },
                )
                return redirect("dashboard:evaluation_detail", pk=evaluation.pk)
    for row in figures["rows"]:
        indicator = row["indicator"]
        row["score_field"] = form[form.score_name(indicator)] if row["judged"] else None
        row["evidence_field"] = form[form.evidence_name(indicator)] if row["judged"] else None
    return render(
        request,
        "dashboard/evaluation/project.html",
        {
            "project": project,
            "outlook": outlook,
            "form": form,
            "period": period,
            "draft": draft,
            "may_maintain_indicators": may_maintain_indicators(request.user),
            "evaluations": Evaluation.objects.visible_to(request.user)
            .filter(project=project)
            .select_related("evaluator")
            .order_by("-period_start"),
            **figures,
        },
    )


@official_required
def evaluation_detail(request, pk):
    """One evaluation: its grade and total, each indicator's score with its evidence, the figures it used."""
    evaluation = get_object_or_404(
        Evaluation.objects.visible_to(request.user)
        .filter(project__community__in=Community.objects.overseen_by(request.user).values("pk"))
        .select_related("project__community", "project__service_item", "evaluator"),
        pk=pk,
    )
    scores = (
        IndicatorScore.objects.filter(evaluation=evaluation)
        .select_related("indicator")
        .order_by("-weight", "indicator__code")
    )
    return render(
        request,
        "dashboard/evaluation/detail.html",
        {
            "evaluation": evaluation,
            "project": evaluation.project,
            "scores": scores,
            "inputs": evaluation.inputs,
        },
    )


def _indicator_formset(indicators: list[Indicator], data=None):
    if data is not None:
        return IndicatorFormSet(data, prefix="indicators")
    formset = IndicatorFormSet(
        prefix="indicators",
        initial=[
            {
                "code": i.code,
                "name": i.name,
                "weight": i.weight,
                "source": i.source,
                "target": i.target,
                "description": i.description,
            }
            for i in indicators
        ],
    )
    formset.extra = INDICATOR_BLANK_ROWS
    return formset


@official_required
def project_indicators(request, pk):
    """The indicators of the project's service; administrators and street or district officials set them
    (indicators_set refuses anyone else)."""
    project = overseen_project_or_404(request.user, pk)
    indicators = _indicators(project, request.user)
    formset = _indicator_formset(indicators, request.POST if request.method == "POST" else None)
    refusals = []
    if request.method == "POST" and formset.is_valid():
        try:
            saved = indicators_set(
                service_item=project.service_item, indicators=indicator_rows(formset), user=request.user
            )
        except ValidationError as refusal:
            refusals = refusal.messages
        else:
            messages.success(
                request, _("Indicators saved: %(count)d, their weights adding up to 100.") % {"count": len(saved)}
            )
            return redirect("dashboard:project_evaluation", pk=project.pk)
    return render(
        request,
        "dashboard/evaluation/indicators.html",
        {
            "project": project,
            "indicators": indicators,
            "formset": formset,
            "refusals": refusals,
            "may_maintain": may_maintain_indicators(request.user),
            "total_weight": sum(indicator.weight for indicator in indicators),
        },
    )


urls = [
    path("projects/<int:pk>/evaluation/", project_evaluation, name="project_evaluation"),
    path("projects/<int:pk>/indicators/", project_indicators, name="project_indicators"),
    path("evaluations/<int:pk>/", evaluation_detail, name="evaluation_detail"),
]
