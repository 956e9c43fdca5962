"""Officials evaluate a project over a period from the data and their own scores; closing needs a final one."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import InspectionResult, Severity
from audit.models import AuditAction, AuditEntry
from coproduction.models import ProjectTransition, ReportStatus, Stage
from coproduction.services.lifecycle import project_transition
from evaluation.models import Evaluation, Grade, Indicator, IndicatorScore, IndicatorSource
from evaluation.services.evaluations import data_score, evaluation_create, evaluation_inputs, grade_for, weighted_total
from tests.evaluation.conftest import PERIOD, district_official_of, moment, official_of, street_official_of
from tests.factories import (
    BreachFactory,
    CommunityFactory,
    EvaluationFactory,
    IndicatorFactory,
    InspectionFactory,
    ProjectFactory,
    RatingFactory,
    ServiceReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START, END = PERIOD


def report(project, month: int, units: int, status=ReportStatus.SUBMITTED, **fields):
    reviewed = (
        {}
        if status == ReportStatus.SUBMITTED
        else {
            "reviewed_by": UserFactory(),
            "reviewed_at": timezone.now(),
            "review_comment": "Checked.",
        }
    )
    start = date(2025, month, 1)
    end = date(2025, month, 28)
    return ServiceReportFactory(
        project=project,
        period_start=start,
        period_end=end,
        service_units=units,
        people_served=units // 10,
        status=status,
        **reviewed,
        **fields,
    )


def rate(project, month: int, *scores):
    for score in scores:
        RatingFactory(project=project, period=date(2025, month, 1), score=score)


@pytest.fixture
def record(project):
    """Half a year of data: 750 units, ratings 5 and 4, one medium breach, a pass and a pass with issues.

    Figures outside the period or from returned reports are there to be left out.
    """
    report(project, 3, 450)
    report(project, 4, 300, status=ReportStatus.ACCEPTED)
    report(project, 5, 1000, status=ReportStatus.RETURNED)
    report(project, 7, 1000)
    rate(project, 3, 5, 4)
    rate(project, 7, 1)
    BreachFactory(project=project, severity=Severity.MEDIUM, detected_at=moment(date(2025, 4, 2)))
    BreachFactory(project=project, severity=Severity.HIGH, detected_at=moment(date(2025, 7, 2)))
    InspectionFactory(project=project, inspected_on=date(2025, 2, 10), result=InspectionResult.PASSED)
    InspectionFactory(project=project, inspected_on=date(2025, 5, 10), result=InspectionResult.MINOR_ISSUES)
    InspectionFactory(project=project, inspected_on=date(2024, 12, 31), result=InspectionResult.FAILED)
    return project


def evaluate(project, user, **changes):
    arguments = {
        "project": project,
        "period_start": START,
        "period_end": END,
        "user": user,
        "evaluator_scores": {"judgement": 80},
    }
    return evaluation_create(**{**arguments, **changes})


def nothing_written():
    return not Evaluation.objects.exists() and not IndicatorScore.objects.exists() and not AuditEntry.objects.exists()


def error_code(caught) -> str:
    error = caught.value
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors][0]
    return error.error_list[0].code


# --- inputs drawn from the data --------------------------------------------------------------


def test_inputs_add_up_outputs_of_submitted_and_accepted_reports_within_the_period(record):
    inputs = evaluation_inputs(project=record, period_start=START, period_end=END)

    assert inputs["outputs"] == {"reports": 2, "service_units": 750, "people_served": 75}
    assert inputs["period"] == {"start": "2025-01-01", "end": "2025-06-30"}


def test_inputs_take_the_mean_rating_of_the_period(record):
    inputs = evaluation_inputs(project=record, period_start=START, period_end=END)

    assert inputs["satisfaction"] == {"count": 2, "mean": 4.5}


def test_ratings_count_only_for_months_wholly_within_the_period(project):
    rate(project, 1, 1)
    rate(project, 2, 5)
    rate(project, 6, 1)

    inputs = evaluation_inputs(project=project, period_start=date(2025, 1, 15), period_end=date(2025, 6, 15))

    assert inputs["satisfaction"] == {"count": 1, "mean": 5.0}


def test_inputs_count_breaches_detected_in_the_period_by_severity(record):
    inputs = evaluation_inputs(project=record, period_start=START, period_end=END)

    assert inputs["breaches"] == {"low": 0, "medium": 1, "high": 0, "total": 1}


def test_inputs_count_inspections_in_the_period_by_result(record):
    inputs = evaluation_inputs(project=record, period_start=START, period_end=END)

    assert inputs["inspections"] == {"passed": 1, "minor_issues": 1, "failed": 0, "total": 2}


def test_a_period_without_data_gives_empty_inputs(project):
    inputs = evaluation_inputs(project=project, period_start=START, period_end=END)

    assert inputs["outputs"] == {"reports": 0, "service_units": 0, "people_served": 0}
    assert inputs["satisfaction"] == {"count": 0, "mean": None}
    assert inputs["breaches"]["total"] == inputs["inspections"]["total"] == 0


def test_inputs_take_four_queries_whatever_the_amount_of_data(record, django_assert_num_queries):
    for month in (1, 2):
        report(record, month, 10)
        rate(record, month, 3, 4, 5)
        InspectionFactory(project=record, inspected_on=date(2025, month, 5))

    with django_assert_num_queries(4):
        evaluation_inputs(project=record, period_start=START, period_end=END)


# --- the scoring rules -----------------------------------------------------------------------


def inputs_with(**parts):
    base = {
        "outputs": {"service_units": 0},
        "satisfaction": {"mean": None},
        "breaches": {"low": 0, "medium": 0, "high": 0},
        "inspections": {"passed": 0, "minor_issues": 0, "failed": 0, "total": 0},
    }
    return {**base, **parts}


@pytest.mark.parametrize(("units", "score"), [(0, "0.00"), (333, "33.30"), (1000, "100.00"), (5000, "100.00")])
def test_outputs_score_the_share_of_the_target_up_to_full_marks(units, score):
    indicator = Indicator(source=IndicatorSource.REPORT_OUTPUTS, target=Decimal("1000"))

    assert data_score(indicator=indicator, inputs=inputs_with(outputs={"service_units": units})) == Decimal(score)


@pytest.mark.parametrize(("mean", "score"), [(None, None), (1.0, "0.00"), (4.33, "83.25"), (5.0, "100.00")])
def test_satisfaction_scores_the_mean_rating_from_1_to_5(mean, score):
    indicator = Indicator(source=IndicatorSource.SATISFACTION)

    result = data_score(indicator=indicator, inputs=inputs_with(satisfaction={"mean": mean}))

    assert result == (Decimal(score) if score else None)


@pytest.mark.parametrize(("high", "medium", "low", "score"), [(0, 0, 0, 100), (1, 1, 1, 65), (3, 4, 0, 0)])
def test_breaches_cost_20_10_and_5_points_by_severity_down_to_zero(high, medium, low, score):
    indicator = Indicator(source=IndicatorSource.BREACHES)
    inputs = inputs_with(breaches={"high": high, "medium": medium, "low": low})

    assert data_score(indicator=indicator, inputs=inputs) == Decimal(score)


@pytest.mark.parametrize(
    ("passed", "minor", "failed", "score"), [(0, 0, 0, None), (1, 1, 0, "75.00"), (1, 1, 1, "50.00"), (0, 0, 2, "0.00")]
)
def test_inspections_score_the_share_passed_with_minor_issues_counting_half(passed, minor, failed, score):
    indicator = Indicator(source=IndicatorSource.INSPECTIONS)
    total = passed + minor + failed
    inputs = inputs_with(inspections={"passed": passed, "minor_issues": minor, "failed": failed, "total": total})

    assert data_score(indicator=indicator, inputs=inputs) == (Decimal(score) if score else None)


def test_the_evaluators_judgement_is_not_drawn_from_the_data():
    assert data_score(indicator=Indicator(source=IndicatorSource.EVALUATOR), inputs=inputs_with()) is None


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("85", Grade.EXCELLENT),
        ("84.99", Grade.GOOD),
        ("70", Grade.GOOD),
        ("69.99", Grade.ADEQUATE),
        ("60", Grade.ADEQUATE),
        ("59.99", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_grades_are_a_from_85_b_from_70_c_from_60_else_d(total, grade):
    assert grade_for(Decimal(total)) == grade


def test_the_total_is_the_weighted_mean_rounded_to_two_places():
    assert weighted_total([(Decimal("33.33"), 50), (Decimal("66.67"), 25), (Decimal("10.01"), 25)]) == Decimal("35.84")


# --- evaluating ------------------------------------------------------------------------------


def test_an_official_evaluates_a_project_from_the_data_and_their_own_scores(record, official):
    evaluation = evaluate(record, official, comment="  A steady half year. ")

    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.grade) == (Decimal("81.50"), Grade.GOOD)
    assert (evaluation.evaluator, evaluation.is_final, evaluation.comment) == (official, False, "A steady half year.")
    scores = {s.indicator.code: (s.score, s.weight) for s in evaluation.scores.select_related("indicator")}
    assert scores == {
        "meals": (Decimal("75.00"), 30),
        "satisfaction": (Decimal("87.50"), 20),
        "record": (Decimal("90.00"), 20),
        "inspections": (Decimal("75.00"), 10),
        "judgement": (Decimal("80.00"), 20),
    }


def test_an_evaluation_stores_the_inputs_it_used(record, official):
    evaluation = evaluate(record, official)

    evaluation.refresh_from_db()
    assert evaluation.inputs["outputs"]["service_units"] == 750
    assert evaluation.inputs["satisfaction"] == {"count": 2, "mean": 4.5}
    assert evaluation.inputs["evaluator_scores"] == {"judgement": 80.0}


def test_an_indicator_score_keeps_the_weight_used_when_the_indicator_changes_later(record, official):
    evaluation = evaluate(record, official)
    Indicator.objects.filter(service_item=record.service_item, code="meals").update(weight=40)

    assert evaluation.scores.get(indicator__code="meals").weight == 30


def test_an_evaluation_is_audited_with_its_scores(record, official):
    evaluation = evaluate(record, official)

    entry = AuditEntry.objects.get(content_type__model="evaluation", object_id=str(evaluation.pk))
    assert (entry.action, entry.actor, entry.after["total"]) == (AuditAction.CREATE, official, "81.50")
    score_entries = AuditEntry.objects.filter(content_type__model="indicatorscore")
    assert sorted(score_entries.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in evaluation.scores.values_list("pk", flat=True)
    )


def test_data_without_figures_scored_by_the_evaluator_is_accepted(project, official):
    evaluation = evaluate(project, official, evaluator_scores={"judgement": 90, "satisfaction": 70, "inspections": 60})

    scores = dict(evaluation.scores.values_list("indicator__code", "score"))
    assert (scores["satisfaction"], scores["inspections"], scores["meals"], scores["record"]) == (
        Decimal("70.00"),
        Decimal("60.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )
    assert evaluation.total == Decimal("58.00")
    assert evaluation.grade == Grade.POOR
    assert evaluation.scores.get(indicator__code="satisfaction").note == "scored by the evaluator"


@pytest.mark.parametrize("who", [street_official_of, district_official_of])
def test_an_official_above_the_community_evaluates_its_projects(record, who):
    street = record.community.street
    user = who(street if who is street_official_of else street.district)

    evaluation = evaluate(record, user)

    assert evaluation.evaluator == user


def test_an_official_of_another_community_may_not_evaluate(record):
    with pytest.raises(PermissionDenied):
        evaluate(record, official_of(CommunityFactory()))

    assert nothing_written()


def test_an_organisations_staff_may_not_evaluate(record):
    with pytest.raises(PermissionDenied):
        evaluate(record, UserFactory())

    assert nothing_written()


@pytest.mark.parametrize("stage", [Stage.DESIGN, Stage.CLOSED])
def test_only_a_project_in_operation_or_evaluation_is_evaluated(project, official, stage):
    project.stage = stage
    project.save()

    with pytest.raises(ValidationError) as caught:
        evaluate(project, official)

    assert error_code(caught) == "wrong_stage"
    assert nothing_written()


def test_a_final_evaluation_waits_for_the_evaluation_stage(record, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, is_final=True)

    assert error_code(caught) == "final_too_early"
    assert "is_final" in caught.value.message_dict
    assert nothing_written()


def test_a_final_evaluation_is_made_in_the_evaluation_stage(record, official):
    record.stage = Stage.EVALUATION
    record.save()

    evaluation = evaluate(record, official, is_final=True)

    assert Evaluation.objects.get(project=record, is_final=True) == evaluation


def test_a_project_has_one_final_evaluation(record, official):
    EvaluationFactory(project=record, period_start=date(2024, 7, 1), period_end=date(2024, 12, 31), is_final=True)
    record.stage = Stage.EVALUATION
    record.save()

    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, is_final=True)

    assert error_code(caught) == "final_exists"
    assert Evaluation.objects.filter(project=record).count() == 1


def test_a_period_is_evaluated_once(record, official):
    evaluate(record, official)

    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, period_end=date(2025, 3, 31))

    assert error_code(caught) == "duplicate_period"
    assert "period_start" in caught.value.message_dict
    assert Evaluation.objects.filter(project=record).count() == 1
    assert IndicatorScore.objects.count() == 5


def test_the_next_period_is_evaluated_separately(record, official):
    evaluate(record, official)

    evaluate(
        record,
        official,
        period_start=date(2025, 7, 1),
        period_end=date(2025, 12, 31),
        evaluator_scores={"judgement": 75, "inspections": 70},
    )

    assert Evaluation.objects.filter(project=record).count() == 2


def test_a_period_ending_before_it_starts_is_refused(record, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, period_end=date(2024, 12, 31))

    assert error_code(caught) == "period_reversed"
    assert nothing_written()


def test_a_period_outside_the_project_is_refused(record, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, period_start=date(2024, 7, 1), period_end=date(2024, 12, 31))

    assert error_code(caught) == "outside_project"
    assert nothing_written()


def test_an_item_whose_indicators_do_not_add_up_to_100_cannot_be_evaluated(official):
    project = ProjectFactory(community=official.official_posts.get().community)
    IndicatorFactory(service_item=project.service_item, code="judgement", weight=60)

    with pytest.raises(ValidationError) as caught:
        evaluate(project, official)

    assert error_code(caught) == "indicators_incomplete"
    assert "(now 60)" in caught.value.messages[0]
    assert nothing_written()


def test_the_evaluators_indicator_must_be_scored(record, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, evaluator_scores={})

    assert error_code(caught) == "score_required"
    assert caught.value.message_dict["evaluator_scores"] == [
        "The data gives no score for judgement: the evaluator must score them."
    ]
    assert nothing_written()


def test_indicators_without_data_must_be_scored_by_the_evaluator(project, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(project, official)

    assert error_code(caught) == "score_required"
    assert "satisfaction, inspections" in caught.value.messages[0]
    assert nothing_written()


def test_a_score_drawn_from_the_data_cannot_be_overridden(record, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, evaluator_scores={"judgement": 80, "record": 100})

    assert error_code(caught) == "scored_from_data"
    assert "record" in caught.value.messages[0]
    assert nothing_written()


def test_an_unknown_indicator_is_refused(record, official):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, evaluator_scores={"judgement": 80, "punctuality": 90})

    assert error_code(caught) == "unknown_indicator"
    assert nothing_written()


@pytest.mark.parametrize("score", [-1, 100.01, "good", None, True])
def test_an_evaluators_score_outside_0_to_100_is_refused(record, official, score):
    with pytest.raises(ValidationError) as caught:
        evaluate(record, official, evaluator_scores={"judgement": score})

    assert error_code(caught) == "score_range"
    assert nothing_written()


@pytest.mark.parametrize(
    ("score", "stored"), [(0, "0.00"), (100, "100.00"), ("72.5", "72.50"), (Decimal("66.666"), "66.67")]
)
def test_an_evaluators_score_from_0_to_100_is_kept_to_two_places(record, official, score, stored):
    evaluation = evaluate(record, official, evaluator_scores={"judgement": score})

    assert evaluation.scores.get(indicator__code="judgement").score == Decimal(stored)


# --- closing needs a final evaluation --------------------------------------------------------


def close(project, user):
    return project_transition(project=project, to_stage=Stage.CLOSED, user=user, reason="The contract has ended.")


def test_a_project_cannot_close_without_a_final_evaluation(record, official):
    record.stage = Stage.EVALUATION
    record.save()
    evaluate(record, official)

    with pytest.raises(ValidationError) as caught:
        close(record, official)

    assert "a final evaluation must be recorded" in caught.value.messages
    record.refresh_from_db()
    assert record.stage == Stage.EVALUATION
    assert not ProjectTransition.objects.filter(project=record).exists()


def test_a_project_closes_once_its_final_evaluation_is_recorded(record, official):
    record.stage = Stage.EVALUATION
    record.save()
    evaluate(record, official, is_final=True)

    transition = close(record, official)

    record.refresh_from_db()
    assert (record.stage, transition.to_stage) == (Stage.CLOSED, Stage.CLOSED)
