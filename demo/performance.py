"""Performance data: residents' monthly ratings and evaluations scored against each item's indicators."""
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count

from accountability.models import Duty, DutyStatus, Inspection, InspectionResult
from coproduction.models import ServiceReport, Stage
from evaluation.models import Evaluation, Grade, Indicator, IndicatorScore, IndicatorSource, Rating

from .context import Seeding, add_months, money, month_start, months_between

RATING_MONTHS = 6
RATING_SHARE = 0.15  # of a community's residents rate a given project in a given month
RATING_COMMENTS = {
    5: ("非常满意，服务很贴心。", "工作人员态度好。", "希望一直办下去。"),
    4: ("总体不错。", "基本满意，有小问题。", ""),
    3: ("一般，还有改进空间。", "时好时坏。", ""),
    2: ("不太满意，反映过没改。", "服务不及时。"),
    1: ("很不满意。", "说好的服务没做到。"),
}


def seed_ratings(s: Seeding) -> None:
    for key, project in s.projects.items():
        if project.stage == Stage.DESIGN:
            continue
        plan = s.plans[key]
        last_day = min(project.end_date, s.today)
        months = months_between(max(project.start_date, add_months(month_start(last_day), 1 - RATING_MONTHS)), last_day)
        existing = set(Rating.objects.filter(project=project).values_list("resident_id", "period"))
        new, stamps = [], []
        for index, resident in enumerate(s.residents[plan.community]):
            rng = s.rng("rating", key, index)
            # The printed demo resident (Houtai's first) rates every month, so their portal shows ratings.
            always = plan.community == "houtai" and index == 0
            for month in months:
                if rng.random() >= RATING_SHARE and not always:
                    continue
                score = max(1, min(5, round(rng.gauss(plan.satisfaction, 0.8))))
                comment = rng.choice(RATING_COMMENTS[score])
                rated_on = min(month + timedelta(days=rng.randint(0, 27)), last_day)
                rated_at = s.at(rated_on, rng.randint(8, 21))  # drawn either way, to keep the sequence
                if (resident.pk, month) not in existing:
                    new.append(Rating(project=project, resident=resident, period=month, score=score, comment=comment))
                    stamps.append(rated_at)
        Rating.objects.bulk_create(new)
        # auto_now_add stamped them with now; keep the moment each resident rated instead.
        for rating, stamp in zip(new, stamps):
            rating.created_at = stamp
        Rating.objects.bulk_update(new, ["created_at"], batch_size=500)


def grade_for(total: Decimal) -> str:
    if total >= 85:
        return Grade.EXCELLENT
    if total >= 70:
        return Grade.GOOD
    if total >= 60:
        return Grade.ADEQUATE
    return Grade.POOR


INSPECTION_POINTS = {InspectionResult.PASSED: 100, InspectionResult.MINOR_ISSUES: 75, InspectionResult.FAILED: 40}
COMMENTS = {
    Grade.EXCELLENT: "服务规范，居民认可度高，建议续约。",
    Grade.GOOD: "总体良好，个别指标需改进。",
    Grade.ADEQUATE: "基本达标，须限期整改薄弱环节。",
    Grade.POOR: "未达标，启动整改或退出程序。",
}


def evaluation_periods(s: Seeding, project) -> list[tuple]:
    """(start, end, final) of the evaluations a project in its stage has had by now."""
    start, end = project.start_date, project.end_date
    if project.stage in (Stage.EVALUATION, Stage.CLOSED):
        half = add_months(start, 6)
        periods = [(start, half - timedelta(days=1), False)]
        if project.stage == Stage.CLOSED:
            periods.append((half, end, True))  # the final evaluation decides renewal or exit
        return periods
    # Operating projects: the last two complete quarters since they started.
    quarter = month_start(s.today).replace(month=(s.today.month - 1) // 3 * 3 + 1)
    periods = []
    for back in (2, 1):
        period_start = add_months(quarter, -3 * back)
        if period_start >= start:
            periods.append((period_start, add_months(period_start, 3) - timedelta(days=1), False))
    return periods


def seed_evaluations(s: Seeding) -> None:
    for key, project in s.projects.items():
        if project.stage == Stage.DESIGN:
            continue
        indicators = list(Indicator.objects.filter(service_item=project.service_item))
        for period_start, period_end, final in evaluation_periods(s, project):
            if Evaluation.objects.filter(project=project, period_start=period_start).exists():
                continue
            rng = s.rng("evaluation", key, period_start)
            inputs = evaluation_inputs(project, period_start, period_end)
            quality = s.plans[key].quality
            scores = [(indicator, indicator_score(indicator, inputs, quality, rng)) for indicator in indicators]
            total = money(sum(indicator.weight * score for indicator, score in scores) / 100)
            grade = grade_for(total)
            community_official = s.officials.get(s.plans[key].community, s.users["zhongbei_official"])
            evaluation = Evaluation.objects.create(
                project=project, period_start=period_start, period_end=period_end, is_final=final,
                evaluator=s.users["zhongbei_official"] if final else community_official,
                inputs=inputs, total=total, grade=grade, comment=COMMENTS[grade],
            )
            IndicatorScore.objects.bulk_create([
                IndicatorScore(evaluation=evaluation, indicator=indicator, weight=indicator.weight, score=score)
                for indicator, score in scores
            ])
            Evaluation.objects.filter(pk=evaluation.pk).update(
                created_at=s.at(min(period_end + timedelta(days=15), s.today), 15)
            )


def evaluation_inputs(project, period_start, period_end) -> dict:
    """The figures an evaluation rests on, kept with it as evidence."""
    reports = ServiceReport.objects.filter(project=project, period_start__gte=period_start, period_end__lte=period_end)
    report_figures = reports.aggregate(count=Count("pk"), units=Avg("service_units"))
    ratings = Rating.objects.filter(project=project, period__gte=period_start, period__lte=period_end).aggregate(
        count=Count("pk"), average=Avg("score")
    )
    inspections = list(Inspection.objects.filter(
        project=project, inspected_on__gte=period_start, inspected_on__lte=period_end
    ).values_list("result", flat=True))
    overdue = Duty.objects.filter(project=project, status=DutyStatus.ACTIVE, next_due_on__lte=period_end).count()
    return {
        "reports": report_figures["count"],
        "average_service_units": round(float(report_figures["units"] or 0), 1),
        "ratings": ratings["count"],
        "average_rating": round(float(ratings["average"]), 2) if ratings["average"] is not None else None,
        "inspections": inspections,
        "overdue_duties": overdue,
    }


def indicator_score(indicator: Indicator, inputs: dict, quality: int, rng) -> Decimal:
    if indicator.source == IndicatorSource.REPORT_OUTPUTS and inputs["reports"] and indicator.target:
        score = min(100.0, inputs["average_service_units"] / float(indicator.target) * 100)
    elif indicator.source == IndicatorSource.SATISFACTION and inputs["average_rating"] is not None:
        score = (inputs["average_rating"] - 1) / 4 * 100
    elif indicator.source == IndicatorSource.BREACHES:
        score = max(40.0, 100.0 - 20 * inputs["overdue_duties"])
    elif indicator.source == IndicatorSource.INSPECTIONS and inputs["inspections"]:
        score = sum(INSPECTION_POINTS[result] for result in inputs["inspections"]) / len(inputs["inspections"])
    else:
        # The evaluator's judgement, also standing in for a source with no data in the period.
        score = max(0.0, min(100.0, rng.uniform(quality - 8, quality + 7)))
    return money(score)
