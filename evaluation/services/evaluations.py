"""Periodic evaluations of projects: inputs drawn from the data, the evaluator's scores, total and grade.

Each indicator's score comes from its source, by these rules (0..100, two decimal places):

- REPORT_OUTPUTS: min(100, 100 x service units / the indicator's target), from the submitted and
  accepted service reports whose period lies within the evaluated period;
- SATISFACTION: (mean rating - 1) / 4 x 100, from the ratings of the months that lie wholly within
  the period; no ratings gives no score;
- BREACHES: max(0, 100 - 20 per high, 10 per medium, 5 per low breach detected in the period);
- INSPECTIONS: the share of inspections passed in the period, a pass counting 1, a pass with minor
  issues 0.5 and a failure 0; no inspection gives no score;
- EVALUATOR: the evaluator's score.

An indicator the data cannot score must be scored by the evaluator, and an indicator the data does
score may not be: a judgement never overrides the record. The evaluator may give the evidence for each
of their scores; it is kept as the score's note.

`evaluation_preview` draws up an evaluation with every check of `evaluation_create` and writes nothing,
so that a page shows the total and grade before the official records them; `evaluation_outlook` says
what would refuse an evaluation of the project before any form is filled in.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, QuerySet, Sum, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import Breach, Inspection, InspectionResult, Severity
from audit.services import record_created
from common.bounds import column_length
from common.errors import field_error
from coproduction.models import Project, ReportStatus, ServiceReport, Stage
from evaluation.models import Evaluation, Grade, Indicator, IndicatorScore, IndicatorSource, Rating
from evaluation.services.indicators import TOTAL_WEIGHT
from partners.models import User
from partners.roles import require_official_for

CENT = Decimal("0.01")
FULL_MARKS = Decimal("100")
# Lowest total earning each grade, best first; below the last is D.
GRADE_FLOORS = ((Decimal("85"), Grade.EXCELLENT), (Decimal("70"), Grade.GOOD), (Decimal("60"), Grade.ADEQUATE))
BREACH_PENALTY = {Severity.HIGH: 20, Severity.MEDIUM: 10, Severity.LOW: 5}
INSPECTION_CREDIT = {InspectionResult.PASSED: Decimal("1"), InspectionResult.MINOR_ISSUES: Decimal("0.5")}
# Reports still awaiting review count: waiting for an official must not cost the provider marks.
COUNTED_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
EVALUABLE_STAGES = (Stage.OPERATION, Stage.EVALUATION)
EVIDENCE_MAX_LENGTH = column_length(IndicatorScore, "note")


def _cents(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _first_whole_month_after(period_start: date) -> date:
    """The first month that starts on or after the period's first day."""
    if period_start.day == 1:
        return period_start
    return (period_start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _last_whole_month_before(period_end: date) -> date:
    """The first day of the last month that ends on or before the period's last day."""
    return ((period_end + timedelta(days=1)).replace(day=1) - timedelta(days=1)).replace(day=1)


# --- Inputs drawn from the data --------------------------------------------------------------


def counted_reports(*, project: Project, period_start: date, period_end: date) -> QuerySet[ServiceReport]:
    """The service reports whose outputs an evaluation of the period counts."""
    return ServiceReport.objects.filter(
        project=project,
        status__in=COUNTED_REPORTS,
        period_start__gte=period_start,
        period_end__lte=period_end,
    )


def _outputs(project: Project, period_start: date, period_end: date) -> dict[str, int]:
    totals = counted_reports(project=project, period_start=period_start, period_end=period_end).aggregate(
        reports=Count("pk"),
        service_units=Sum("service_units"),
        people_served=Sum("people_served"),
    )
    return {key: value or 0 for key, value in totals.items()}


def _satisfaction(project: Project, period_start: date, period_end: date) -> dict[str, Any]:
    ratings = Rating.objects.filter(
        project=project,
        period__gte=_first_whole_month_after(period_start),
        period__lte=_last_whole_month_before(period_end),
    ).aggregate(count=Count("pk"), mean=Avg("score"))
    mean = ratings["mean"]
    return {"count": ratings["count"], "mean": float(_cents(Decimal(str(mean)))) if mean is not None else None}


def _counts_by(queryset: QuerySet[Any], field: str, choices: type[TextChoices]) -> dict[str, int]:
    counts = dict.fromkeys(choices.values, 0)
    counts.update(queryset.order_by().values_list(field).annotate(count=Count("pk")).values_list(field, "count"))
    return {**counts, "total": sum(counts.values())}


def evaluation_inputs(*, project: Project, period_start: date, period_end: date) -> dict[str, Any]:
    """The figures an evaluation of the period draws from the data, as JSON-safe values.

    Four queries whatever the amount of data: outputs of the reports, the ratings, the breaches
    by severity and the inspections by result.
    """
    breaches = Breach.objects.filter(
        project=project, detected_at__date__gte=period_start, detected_at__date__lte=period_end
    )
    inspections = Inspection.objects.filter(
        project=project, inspected_on__gte=period_start, inspected_on__lte=period_end
    )
    return {
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "outputs": _outputs(project, period_start, period_end),
        "satisfaction": _satisfaction(project, period_start, period_end),
        "breaches": _counts_by(breaches, "severity", Severity),
        "inspections": _counts_by(inspections, "result", InspectionResult),
    }


def data_score(*, indicator: Indicator, inputs: dict[str, Any]) -> Decimal | None:
    """The indicator's 0..100 score from the inputs, or None when the data cannot give one."""
    source = indicator.source
    if source == IndicatorSource.REPORT_OUTPUTS:
        units = Decimal(inputs["outputs"]["service_units"])
        assert indicator.target is not None, "indicators_set refuses an output indicator without a target"
        return _cents(min(FULL_MARKS, FULL_MARKS * units / indicator.target))
    if source == IndicatorSource.SATISFACTION:
        mean = inputs["satisfaction"]["mean"]
        return None if mean is None else _cents((Decimal(str(mean)) - 1) / 4 * FULL_MARKS)
    if source == IndicatorSource.BREACHES:
        penalty = sum(points * inputs["breaches"][severity] for severity, points in BREACH_PENALTY.items())
        return _cents(max(0, 100 - penalty))
    if source == IndicatorSource.INSPECTIONS:
        inspections = inputs["inspections"]
        if not inspections["total"]:
            return None
        credit = sum(weight * inspections[result] for result, weight in INSPECTION_CREDIT.items())
        return _cents(credit / inspections["total"] * FULL_MARKS)
    return None  # EVALUATOR: a judgement only


def grade_for(total: Decimal) -> str:
    return next((grade for floor, grade in GRADE_FLOORS if total >= floor), Grade.POOR)


def weighted_total(scores: list[tuple[Decimal, int]]) -> Decimal:
    """sum(score x weight) / 100 over (score, weight) pairs whose weights add up to 100."""
    return _cents(sum(score * weight for score, weight in scores) / FULL_MARKS)


# --- Refusals --------------------------------------------------------------------------------


def _check_stage(project: Project, is_final: bool) -> None:
    if project.stage not in EVALUABLE_STAGES:
        raise ValidationError(
            _("Only a project in operation or under evaluation can be evaluated; this one is at %(stage)s.")
            % {"stage": Stage(project.stage).label},
            code="wrong_stage",
        )
    if is_final and project.stage != Stage.EVALUATION:
        raise field_error(
            "is_final",
            _("A final evaluation is made once the project has moved to the evaluation stage."),
            code="final_too_early",
        )


def _check_period(project: Project, period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise field_error("period_end", _("The period must end on or after its start."), code="period_reversed")
    starts_early = project.start_date is not None and period_start < project.start_date
    ends_late = project.end_date is not None and period_end > project.end_date
    if starts_early or ends_late:
        raise field_error(
            "period_start",
            _("The period must lie within the project's dates (%(start)s to %(end)s).")
            % {"start": project.start_date, "end": project.end_date},
            code="outside_project",
        )


def _check_not_evaluated(project: Project, period_start: date, period_end: date) -> None:
    evaluations = Evaluation.objects.filter(project=project)
    if evaluations.filter(period_start=period_start).exists():
        raise field_error(
            "period_start",
            _("This project already has an evaluation for the period starting %(start)s.") % {"start": period_start},
            code="duplicate_period",
        )
    # Overlapping periods would count the same reports, ratings and breaches in two evaluations.
    overlapping = evaluations.filter(period_start__lte=period_end, period_end__gte=period_start).first()
    if overlapping is not None:
        raise field_error(
            "period_start",
            _("The period overlaps the evaluation of %(start)s to %(end)s; choose a period after it.")
            % {"start": overlapping.period_start, "end": overlapping.period_end},
            code="duplicate_period",
        )


def _check_final_free(project: Project) -> None:
    if Evaluation.objects.filter(project=project, is_final=True).exists():
        raise field_error("is_final", _("This project already has its final evaluation."), code="final_exists")


def _check_indicators_complete(project: Project, indicators: list[Indicator]) -> None:
    total = sum(indicator.weight for indicator in indicators)
    if total != TOTAL_WEIGHT:
        raise ValidationError(
            _(
                "The service-list item %(item)s needs indicators whose weights add up to 100 (now %(total)d) "
                "before its projects can be evaluated."
            )
            % {"item": project.service_item, "total": total},
            code="indicators_incomplete",
        )


def _evaluator_score(code: str, value: object) -> Decimal:
    try:
        score = Decimal(str(value)) if not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        score = None
    if score is None or not score.is_finite() or not 0 <= score <= FULL_MARKS:
        raise field_error(
            "evaluator_scores",
            _("%(code)s: a score must be a number from 0 to 100.") % {"code": code},
            code="score_range",
        )
    return _cents(score)


def _evidence(code: str, value: object) -> str:
    text = str(value or "").strip()
    if len(text) > EVIDENCE_MAX_LENGTH:
        raise field_error(
            "evidence",
            _("%(code)s: the evidence may be at most %(limit)d characters.")
            % {"code": code, "limit": EVIDENCE_MAX_LENGTH},
            code="evidence_too_long",
        )
    return text


def _scores(
    indicators: list[Indicator],
    inputs: dict[str, Any],
    evaluator_scores: Mapping[str, object],
    evidence: Mapping[str, object],
) -> list[tuple[Indicator, Decimal, str]]:
    """Each indicator with its score and its note (where it came from, or the evaluator's evidence);
    refuses what is missing or not allowed."""
    known = {indicator.code for indicator in indicators}
    judged = set(evaluator_scores) | set(evidence)
    unknown = sorted(judged - known)
    if unknown:
        raise field_error(
            "evaluator_scores",
            _("No such indicator for this service: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_indicator",
        )
    drawn = {indicator.code: data_score(indicator=indicator, inputs=inputs) for indicator in indicators}
    overridden = sorted(code for code, score in drawn.items() if score is not None and code in judged)
    if overridden:
        raise field_error(
            "evaluator_scores",
            _("%(codes)s: drawn from the data, not scored by hand.") % {"codes": ", ".join(overridden)},
            code="scored_from_data",
        )
    unscored = [code for code, score in drawn.items() if score is None and code not in evaluator_scores]
    if unscored:
        raise field_error(
            "evaluator_scores",
            _("The data gives no score for %(codes)s: the evaluator must score them.") % {"codes": ", ".join(unscored)},
            code="score_required",
        )
    scored = []
    for indicator in indicators:
        drawn_score = drawn[indicator.code]
        if drawn_score is not None:
            scored.append((indicator, drawn_score, _("drawn from the data")))
        else:
            score = _evaluator_score(indicator.code, evaluator_scores[indicator.code])
            note = _evidence(indicator.code, evidence.get(indicator.code)) or _("scored by the evaluator")
            scored.append((indicator, score, note))
    return scored


# --- The evaluation --------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationDraft:
    """An evaluation drawn up and not yet recorded: the inputs, each indicator's score and note, total, grade."""

    inputs: dict[str, Any]
    scores: list[tuple[Indicator, Decimal, str]]
    total: Decimal
    grade: str

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label)


def _indicators_of(project: Project) -> list[Indicator]:
    return list(Indicator.objects.filter(service_item_id=project.service_item_id).order_by("-weight", "code"))


def _draw_up(
    project: Project,
    period_start: date,
    period_end: date,
    evaluator_scores: Mapping[str, object],
    evidence: Mapping[str, object],
    is_final: bool,
) -> EvaluationDraft:
    """Every check of an evaluation, then its scores, total and grade; writes nothing."""
    _check_stage(project, is_final)
    _check_period(project, period_start, period_end)
    _check_not_evaluated(project, period_start, period_end)
    if is_final:
        _check_final_free(project)
    indicators = _indicators_of(project)
    _check_indicators_complete(project, indicators)
    inputs = evaluation_inputs(project=project, period_start=period_start, period_end=period_end)
    scored = _scores(indicators, inputs, evaluator_scores, evidence)
    total = weighted_total([(score, indicator.weight) for indicator, score, _note in scored])
    inputs["evaluator_scores"] = {
        indicator.code: float(score) for indicator, score, _note in scored if indicator.code in evaluator_scores
    }
    return EvaluationDraft(inputs=inputs, scores=scored, total=total, grade=grade_for(total))


def evaluation_preview(
    *,
    project: Project,
    period_start: date,
    period_end: date,
    user: User,
    evaluator_scores: Mapping[str, object],
    evidence: Mapping[str, str] | None = None,
    is_final: bool = False,
) -> EvaluationDraft:
    """The evaluation `evaluation_create` would record with these arguments, refused the same way."""
    require_official_for(user, project.community_id)
    project = Project.objects.select_related("service_item").get(pk=project.pk)
    return _draw_up(project, period_start, period_end, dict(evaluator_scores or {}), dict(evidence or {}), is_final)


@transaction.atomic
def evaluation_create(
    *,
    project: Project,
    period_start: date,
    period_end: date,
    user: User,
    evaluator_scores: Mapping[str, object],
    evidence: Mapping[str, str] | None = None,
    is_final: bool = False,
    comment: str = "",
) -> Evaluation:
    """An official evaluates a project over a period; the inputs used are stored with the scores.

    `evidence` gives, per indicator the evaluator scores, what the score rests on.
    """
    # Locked so that two evaluations of one project (or an evaluation and a transition) queue up.
    project = Project.objects.select_for_update().select_related("service_item").get(pk=project.pk)
    require_official_for(user, project.community_id)
    draft = _draw_up(project, period_start, period_end, dict(evaluator_scores or {}), dict(evidence or {}), is_final)
    evaluation = Evaluation.objects.create(
        project=project,
        period_start=period_start,
        period_end=period_end,
        is_final=is_final,
        evaluator=user,
        inputs=draft.inputs,
        total=draft.total,
        grade=draft.grade,
        comment=comment.strip(),
    )
    scores = IndicatorScore.objects.bulk_create(
        [
            IndicatorScore(evaluation=evaluation, indicator=indicator, weight=indicator.weight, score=score, note=note)
            for indicator, score, note in draft.scores
        ]
    )
    record_created(actor=user, instance=evaluation)
    for score in scores:
        record_created(actor=user, instance=score)
    return evaluation


# --- What a page can say before the form is filled in ----------------------------------------


@dataclass(frozen=True)
class EvaluationOutlook:
    """What stands in the way of evaluating a project now, and the period to evaluate next."""

    refusals: list[str]  # any one of these refuses every evaluation of the project
    indicators_missing: bool
    final_refusal: str | None  # why a final evaluation cannot be recorded, when it cannot
    next_period: tuple[date, date] | None

    @property
    def may_evaluate(self) -> bool:
        return not self.refusals


def _messages(check: Callable[..., None], *args: Any) -> list[str]:
    try:
        check(*args)
    except ValidationError as refusal:
        return refusal.messages
    return []


def _next_period(project: Project, today: date) -> tuple[date, date] | None:
    """From the day after the last evaluated period (or the project's start) to today, or to the project's
    end once it has ended or is under evaluation; None when nothing is left to evaluate."""
    last_end = Evaluation.objects.filter(project=project).aggregate(last=Max("period_end"))["last"]
    start = last_end + timedelta(days=1) if last_end is not None else project.start_date
    if start is None:
        return None
    end = project.end_date
    if end is not None and start > end:
        return None
    if project.stage != Stage.EVALUATION and start <= today and (end is None or today < end):
        end = today
    return start, end or today


def evaluation_outlook(*, project: Project, today: date | None = None) -> EvaluationOutlook:
    """The refusals knowable from the project alone (its stage, its indicators, its final evaluation),
    worded as `evaluation_create` words them."""
    indicators_refusal = _messages(_check_indicators_complete, project, _indicators_of(project))
    refusals = _messages(_check_stage, project, False) + indicators_refusal
    final_refusals = _messages(_check_stage, project, True) or _messages(_check_final_free, project)
    final_refusal = final_refusals[0] if final_refusals else None
    return EvaluationOutlook(
        refusals=refusals,
        indicators_missing=bool(indicators_refusal),
        final_refusal=final_refusal,
        next_period=_next_period(project, today or timezone.localdate()),
    )
