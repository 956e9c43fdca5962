"""Performance through the evaluation services: residents' monthly ratings, and evaluations of each period.

An evaluation draws its inputs from the data (reports, ratings, breaches, inspections); the
demo only supplies the evaluator's scores for the indicators the data cannot score.
"""

from datetime import timedelta

from coproduction.models import Stage
from demo.clock import backdate, backdate_each
from demo.context import Seeding, add_months, money, month_start, months_between
from demo.projects import community_official
from evaluation.models import Evaluation, Grade, Indicator, Rating
from evaluation.services.evaluations import data_score, evaluation_create, evaluation_inputs, grade_for, weighted_total
from evaluation.services.ratings import rating_submit

RATEABLE_STAGES = (Stage.OPERATION, Stage.EVALUATION)
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
    """Ratings of the projects delivering their service now (a closed project got its ratings while it ran)."""
    for key, project in s.projects.items():
        if project.stage not in RATEABLE_STAGES:
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
                    new.append(
                        rating_submit(project=project, resident=resident, score=score, comment=comment, on=rated_on)
                    )
                    stamps.append(rated_at)
        backdate_each(new, "created_at", stamps)


COMMENTS: dict[str, str] = {
    Grade.EXCELLENT: "服务规范，居民认可度高，建议续约。",
    Grade.GOOD: "总体良好，个别指标需改进。",
    Grade.ADEQUATE: "基本达标，须限期整改薄弱环节。",
    Grade.POOR: "未达标，启动整改或退出程序。",
}


def seed_evaluations(s: Seeding) -> None:
    """The periodic (not final) evaluations of projects delivering their service."""
    for key, project in s.projects.items():
        if project.stage in RATEABLE_STAGES:
            for period_start, period_end, final in evaluation_periods(s, key):
                if not final:
                    evaluate(s, key, period_start, period_end, final=False)


def seed_final_evaluations(s: Seeding) -> None:
    """The final evaluation that lets a finished project close (the lifecycle guard asks for it)."""
    for key, project in s.projects.items():
        if project.stage == Stage.EVALUATION:
            for period_start, period_end, final in evaluation_periods(s, key):
                if final:
                    evaluate(s, key, period_start, period_end, final=True)


def evaluation_periods(s: Seeding, key: str) -> list[tuple]:
    """(start, end, final) of the evaluations a project in its planned stage has had by now."""
    project, stage = s.projects[key], s.plans[key].stage
    start, end = project.start_date, project.end_date
    if stage in (Stage.EVALUATION, Stage.CLOSED):
        half = add_months(start, 6)
        periods = [(start, half - timedelta(days=1), False)]
        if stage == Stage.CLOSED:
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


def evaluate(s: Seeding, key: str, period_start, period_end, *, final: bool) -> None:
    project = s.projects[key]
    if Evaluation.objects.filter(project=project, period_start=period_start).exists():
        return
    rng = s.rng("evaluation", key, period_start)
    quality = s.plans[key].quality
    indicators = list(Indicator.objects.filter(service_item=project.service_item).order_by("code"))
    inputs = evaluation_inputs(project=project, period_start=period_start, period_end=period_end)
    drawn = {indicator.code: data_score(indicator=indicator, inputs=inputs) for indicator in indicators}
    # The evaluator judges what the data cannot score (and nothing else: the service refuses that).
    judged = {
        code: money(max(0.0, min(100.0, rng.uniform(quality - 8, quality + 7))))
        for code, score in drawn.items()
        if score is None
    }
    scores = {code: score for code, score in drawn.items() if score is not None} | judged
    total = weighted_total([(scores[i.code], i.weight) for i in indicators])
    evaluation = evaluation_create(
        project=project,
        period_start=period_start,
        period_end=period_end,
        is_final=final,
        user=s.users["zhongbei_official"] if final else community_official(s, s.plans[key]),
        evaluator_scores=judged,
        comment=COMMENTS[grade_for(total)],
    )
    backdate(evaluation, created_at=s.at(min(period_end + timedelta(days=15), s.today), 15))
