"""Before recording: the preview of an evaluation, the evaluator's evidence, overlapping periods, and what a page
can say about a project before the form is filled in."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduction.models import Stage
from evaluation.models import Evaluation
from evaluation.services.evaluations import evaluation_create, evaluation_outlook, evaluation_preview
from tests.evaluation.conftest import PERIOD, official_of
from tests.factories import CommunityFactory, EvaluationFactory, IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db

START, END = PERIOD
# With no data in the period the evaluator scores satisfaction, inspections and judgement.
JUDGED = {"satisfaction": 80, "inspections": 70, "judgement": 90}


def arguments(project, user, **changes):
    return {
        "project": project,
        "period_start": START,
        "period_end": END,
        "user": user,
        "evaluator_scores": JUDGED,
        **changes,
    }


def refusal_code(caught) -> str:
    return [error.code for errors in caught.value.error_dict.values() for error in errors][0]


# --- The preview -----------------------------------------------------------------------------


def test_the_preview_gives_the_total_and_grade_the_evaluation_will_have_and_writes_nothing(project, official):
    draft = evaluation_preview(**arguments(project, official))

    assert not Evaluation.objects.exists()
    evaluation = evaluation_create(**arguments(project, official))
    assert (draft.total, draft.grade) == (evaluation.total, evaluation.grade) == (Decimal("61.00"), "C")
    assert draft.grade_label == "Adequate"
    assert [(indicator.code, score) for indicator, score, _note in draft.scores][:2] == [
        ("meals", Decimal("0.00")),
        ("judgement", Decimal("90.00")),
    ]


def test_the_preview_refuses_as_the_evaluation_would(project, official):
    with pytest.raises(ValidationError) as caught:
        evaluation_preview(**arguments(project, official, evaluator_scores={"judgement": 90}))

    assert refusal_code(caught) == "score_required"


def test_an_official_of_another_community_may_not_preview(project):
    with pytest.raises(PermissionDenied):
        evaluation_preview(**arguments(project, official_of(CommunityFactory())))


# --- Evidence --------------------------------------------------------------------------------


def test_the_evaluators_evidence_is_kept_as_the_scores_note(project, official):
    evaluation = evaluation_create(**arguments(project, official, evidence={"judgement": "  Two visits, menus kept. "}))

    notes = dict(evaluation.scores.values_list("indicator__code", "note"))
    assert notes["judgement"] == "Two visits, menus kept."
    assert notes["satisfaction"] == "scored by the evaluator"
    assert notes["meals"] == "drawn from the data"


def test_evidence_longer_than_a_note_is_refused(project, official):
    with pytest.raises(ValidationError) as caught:
        evaluation_create(**arguments(project, official, evidence={"judgement": "x" * 301}))

    assert refusal_code(caught) == "evidence_too_long"
    assert not Evaluation.objects.exists()


def test_evidence_for_an_indicator_the_data_scores_is_refused(project, official):
    with pytest.raises(ValidationError) as caught:
        evaluation_create(**arguments(project, official, evidence={"record": "No breach."}))

    assert refusal_code(caught) == "scored_from_data"


# --- Overlapping periods ---------------------------------------------------------------------


def test_a_period_overlapping_an_evaluated_one_is_refused(project, official):
    EvaluationFactory(project=project, period_start=date(2024, 12, 1), period_end=date(2025, 2, 28))

    with pytest.raises(ValidationError) as caught:
        evaluation_create(**arguments(project, official))

    assert refusal_code(caught) == "duplicate_period"
    assert "overlaps the evaluation of 2024-12-01 to 2025-02-28" in caught.value.messages[0]
    assert Evaluation.objects.count() == 1


def test_a_period_right_after_an_evaluated_one_is_accepted(project, official):
    EvaluationFactory(project=project, period_start=date(2024, 12, 1), period_end=date(2024, 12, 31))

    assert evaluation_create(**arguments(project, official)).period_start == START


# --- The outlook -----------------------------------------------------------------------------


def test_a_project_in_operation_with_indicators_may_be_evaluated_but_not_finally(project):
    outlook = evaluation_outlook(project=project, today=date(2025, 9, 15))

    assert outlook.may_evaluate and not outlook.indicators_missing
    assert outlook.final_refusal == "A final evaluation is made once the project has moved to the evaluation stage."
    assert outlook.next_period == (date(2025, 1, 1), date(2025, 9, 15))


def test_a_project_under_evaluation_is_offered_its_final_evaluation_up_to_its_end(project):
    project.stage = Stage.EVALUATION
    project.save()
    EvaluationFactory(project=project, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30))

    outlook = evaluation_outlook(project=project, today=date(2025, 9, 15))

    assert outlook.final_refusal is None
    assert outlook.next_period == (date(2025, 7, 1), date(2027, 12, 31))


def test_a_project_with_its_final_evaluation_is_told_so(project):
    project.stage = Stage.EVALUATION
    project.save()
    EvaluationFactory(project=project, is_final=True, period_start=START, period_end=date(2027, 12, 31))

    outlook = evaluation_outlook(project=project)

    assert outlook.final_refusal == "This project already has its final evaluation."
    assert outlook.next_period is None


def test_a_project_whose_service_has_no_indicators_is_told_so():
    project = ProjectFactory()
    IndicatorFactory(service_item=project.service_item, weight=60)

    outlook = evaluation_outlook(project=project)

    assert not outlook.may_evaluate and outlook.indicators_missing
    assert "(now 60)" in outlook.refusals[0]


@pytest.mark.parametrize("stage", [Stage.DESIGN, Stage.CLOSED])
def test_a_project_outside_operation_and_evaluation_is_told_so(project, stage):
    project.stage = stage
    project.save()

    outlook = evaluation_outlook(project=project)

    assert not outlook.may_evaluate and not outlook.indicators_missing
    assert outlook.refusals[0].startswith("Only a project in operation or under evaluation can be evaluated")
