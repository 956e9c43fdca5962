"""An evaluation's preview and the evaluator's evidence through the API, calling the same services as the pages."""

import pytest

from evaluation.models import Evaluation, IndicatorSource
from tests.factories import EvaluationFactory, IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": "2025-01-01", "period_end": "2025-06-30"}


@pytest.fixture
def project(community):
    """Judged on its record (40, no breach gives 100) and by the evaluator (60)."""
    project = ProjectFactory(community=community)
    IndicatorFactory(service_item=project.service_item, code="record", weight=40, source=IndicatorSource.BREACHES)
    IndicatorFactory(service_item=project.service_item, code="judgement", weight=60, source=IndicatorSource.EVALUATOR)
    return project


def body(project, **changes) -> dict:
    return {"project": project.pk, **PERIOD, "evaluator_scores": {"judgement": 50}, **changes}


def test_the_preview_answers_the_total_and_grade_and_records_nothing(client_for, official, project):
    response = client_for(official).post("/api/v1/evaluations/preview/", body(project), format="json")

    assert response.status_code == 200
    assert (response.data["total"], response.data["grade"]) == ("70.00", "B")
    assert [row["indicator_code"] for row in response.data["scores"]] == ["judgement", "record"]
    assert not Evaluation.objects.exists()


def test_the_preview_is_refused_as_the_creation_would_be(client_for, official, project):
    EvaluationFactory(project=project, period_start="2024-12-01", period_end="2025-01-31")

    response = client_for(official).post("/api/v1/evaluations/preview/", body(project), format="json")

    assert response.status_code == 409
    assert response.data["code"] == "duplicate_period"


def test_the_evaluators_evidence_is_stored_with_the_score(client_for, official, project):
    response = client_for(official).post(
        "/api/v1/evaluations/", body(project, evidence={"judgement": "Two visits."}), format="json"
    )

    assert response.status_code == 201
    notes = {row["indicator_code"]: row["note"] for row in response.data["scores"]}
    assert notes["judgement"] == "Two visits."
