"""Evaluation: ratings 1-5 once a period, one evaluation per period and one final, weights and trust in range."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.asserts import database_refuses
from tests.factories import (
    EvaluationFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    RatingFactory,
    TrustScoreFactory,
)

pytestmark = pytest.mark.django_db


# --- ratings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [1, 5])
def test_a_rating_may_score_from_1_to_5(score):
    assert RatingFactory(score=score).score == score


@pytest.mark.parametrize("score", [0, 6])
def test_a_rating_outside_1_to_5_is_refused_by_the_database(score):
    with database_refuses():
        RatingFactory(score=score)


@pytest.mark.parametrize("score", [0, 6])
def test_a_rating_outside_1_to_5_fails_validation(score):
    rating = RatingFactory.build(score=score)

    with pytest.raises(ValidationError) as caught:
        rating.full_clean(exclude=["project", "resident"])

    assert "score" in caught.value.message_dict


def test_a_resident_rates_a_project_once_per_period():
    rating = RatingFactory()

    with database_refuses():
        RatingFactory(project=rating.project, resident=rating.resident, period=rating.period)


def test_a_resident_rates_a_project_again_next_period():
    rating = RatingFactory(period=date(2025, 3, 1))

    RatingFactory(project=rating.project, resident=rating.resident, period=date(2025, 4, 1))

    assert rating.project.ratings.filter(resident=rating.resident).count() == 2


def test_neighbours_rate_the_same_project_and_period():
    rating = RatingFactory()

    RatingFactory(project=rating.project, period=rating.period)

    assert rating.project.ratings.filter(period=rating.period).count() == 2


# --- evaluations -----------------------------------------------------------------------------


def test_a_project_is_evaluated_once_per_period():
    evaluation = EvaluationFactory()

    with database_refuses():
        EvaluationFactory(project=evaluation.project, period_start=evaluation.period_start)


def test_a_project_has_one_final_evaluation():
    final = EvaluationFactory(is_final=True, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30))

    with database_refuses():
        EvaluationFactory(
            project=final.project, is_final=True, period_start=date(2025, 7, 1), period_end=date(2025, 12, 31)
        )


def test_a_project_has_many_periodic_evaluations_beside_its_final_one():
    final = EvaluationFactory(is_final=True, period_start=date(2025, 7, 1), period_end=date(2025, 12, 31))

    EvaluationFactory(project=final.project, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30))
    EvaluationFactory(project=final.project, period_start=date(2024, 7, 1), period_end=date(2024, 12, 31))

    assert final.project.evaluations.count() == 3


def test_an_evaluation_period_ends_after_it_starts():
    with database_refuses():
        EvaluationFactory(period_start=date(2025, 7, 1), period_end=date(2025, 6, 30))


@pytest.mark.parametrize("total", [Decimal("-0.01"), Decimal("100.01")])
def test_an_evaluation_total_lies_between_0_and_100(total):
    with database_refuses():
        EvaluationFactory(total=total)


def test_an_evaluation_grade_is_one_of_a_to_d():
    with database_refuses():
        EvaluationFactory(grade="E")


@pytest.mark.parametrize("score", [Decimal("-1"), Decimal("100.01")])
def test_an_indicator_score_lies_between_0_and_100(score):
    with database_refuses():
        IndicatorScoreFactory(score=score)


def test_an_indicator_is_scored_once_per_evaluation():
    score = IndicatorScoreFactory()

    with database_refuses():
        IndicatorScoreFactory(evaluation=score.evaluation, indicator=score.indicator)


# --- indicators ------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [1, 100])
def test_an_indicator_weight_may_range_from_1_to_100(weight):
    assert IndicatorFactory(weight=weight).weight == weight


@pytest.mark.parametrize("weight", [0, 101])
def test_an_indicator_weight_outside_1_to_100_is_refused(weight):
    with database_refuses():
        IndicatorFactory(weight=weight)


def test_indicator_codes_are_unique_within_an_item():
    indicator = IndicatorFactory()

    with database_refuses():
        IndicatorFactory(service_item=indicator.service_item, code=indicator.code)


def test_an_output_target_must_be_positive():
    with database_refuses():
        IndicatorFactory(target=Decimal("0"))


# --- trust scores ----------------------------------------------------------------------------


def test_an_organisation_has_one_trust_score_a_day():
    score = TrustScoreFactory()

    with database_refuses():
        TrustScoreFactory(organisation=score.organisation, computed_on=score.computed_on)


def test_trust_scores_of_successive_days_make_a_history():
    score = TrustScoreFactory()

    TrustScoreFactory(organisation=score.organisation, computed_on=score.computed_on - timedelta(days=1))

    assert score.organisation.trust_scores.latest() == score


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("100")])
def test_a_trust_score_may_range_from_0_to_100(value):
    assert TrustScoreFactory(score=value).score == value


@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.01")])
def test_a_trust_score_outside_0_to_100_is_refused(value):
    with database_refuses():
        TrustScoreFactory(score=value)
