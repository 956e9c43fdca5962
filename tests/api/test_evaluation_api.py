"""Indicators and evaluations through the API: who reads which, and the domain's rules for setting and evaluating."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEntry
from coproduction.models import Stage
from evaluation.models import Evaluation, Indicator, IndicatorScore, IndicatorSource
from service_list.models import ListItemStatus
from tests.factories import (
    CommunityFactory,
    EvaluationFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    ServiceListItemFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": "2025-01-01", "period_end": "2025-06-30"}


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def audited(model: str, action=AuditAction.CREATE):
    return AuditEntry.objects.filter(content_type__model=model, action=action)


@pytest.fixture
def street_official():
    """Street officials maintain the shared service list and its indicators."""
    return OfficialPostFactory(community=None, street=CommunityFactory().street).user


@pytest.fixture
def project(community):
    """A project in operation whose service is judged on its record (40) and by the evaluator (60)."""
    project = ProjectFactory(community=community)
    IndicatorFactory(service_item=project.service_item, code="record", weight=40, source=IndicatorSource.BREACHES)
    IndicatorFactory(service_item=project.service_item, code="judgement", weight=60, source=IndicatorSource.EVALUATOR)
    return project


def evaluation_body(project, **changes) -> dict:
    return {"project": project.pk, **PERIOD, "evaluator_scores": {"judgement": 80}, **changes}


def indicator_rows(**weights) -> list[dict]:
    weights = {"meals": 60, "judgement": 40, **weights}
    return [
        {
            "code": "meals",
            "name": "Meals served",
            "weight": weights["meals"],
            "source": "report_outputs",
            "target": "1000",
        },
        {"code": "judgement", "name": "Judgement", "weight": weights["judgement"], "source": "evaluator"},
    ]


# --- Indicators: reading ---------------------------------------------------------------------


def test_every_signed_in_user_lists_the_indicators(client_for, resident):
    indicator = IndicatorFactory()
    response = client_for(resident.user).get("/api/v1/indicators/")
    assert response.status_code == 200
    assert ids(response) == {indicator.pk}
    assert response.data["results"][0]["service_item_name"] == indicator.service_item.name


def test_an_indicator_is_read_by_its_id(client_for, official):
    indicator = IndicatorFactory(weight=100)
    response = client_for(official).get(f"/api/v1/indicators/{indicator.pk}/")
    assert response.status_code == 200
    assert response.data["code"] == indicator.code and response.data["weight"] == 100


def test_an_anonymous_caller_reads_no_indicator(client_for):
    indicator = IndicatorFactory()
    assert client_for().get("/api/v1/indicators/").status_code == 401
    assert client_for().get(f"/api/v1/indicators/{indicator.pk}/").status_code == 401


def test_indicators_are_filtered_by_service_item_and_searched_by_name(client_for, official):
    item = ServiceListItemFactory()
    meals = IndicatorFactory(service_item=item, name="Meals served")
    IndicatorFactory(service_item=item, name="Judgement")
    IndicatorFactory(name="Meals delivered")
    response = client_for(official).get(f"/api/v1/indicators/?service_item={item.pk}&search=meals")
    assert ids(response) == {meals.pk}


def test_the_indicator_list_keeps_its_query_count_from_5_to_50_rows(client_for, official, django_assert_num_queries):
    client = client_for(official)
    IndicatorFactory.create_batch(5)
    at_five = queries_for(client, "/api/v1/indicators/")
    IndicatorFactory.create_batch(45)
    with django_assert_num_queries(at_five):
        assert client.get("/api/v1/indicators/").data["count"] == 50


# --- Indicators: setting ---------------------------------------------------------------------


def test_a_street_official_sets_an_items_indicators(client_for, street_official):
    item = ServiceListItemFactory()
    response = client_for(street_official).post(
        "/api/v1/indicators/set/", {"service_item": item.pk, "indicators": indicator_rows()}, format="json"
    )
    assert response.status_code == 200
    assert [(row["code"], row["weight"]) for row in response.data] == [("meals", 60), ("judgement", 40)]
    assert Indicator.objects.get(service_item=item, code="meals").target == Decimal("1000")
    assert audited("indicator").filter(actor=street_official).count() == 2


def test_setting_indicators_again_replaces_the_set(client_for, street_official):
    item = ServiceListItemFactory()
    IndicatorFactory(service_item=item, code="old", weight=100)
    response = client_for(street_official).post(
        "/api/v1/indicators/set/", {"service_item": item.pk, "indicators": indicator_rows()}, format="json"
    )
    assert response.status_code == 200
    assert set(Indicator.objects.filter(service_item=item).values_list("code", flat=True)) == {"meals", "judgement"}
    assert audited("indicator", AuditAction.DELETE).count() == 1


def test_weights_that_do_not_add_up_to_100_are_a_400_naming_the_indicators(client_for, street_official):
    item = ServiceListItemFactory()
    response = client_for(street_official).post(
        "/api/v1/indicators/set/", {"service_item": item.pk, "indicators": indicator_rows(meals=50)}, format="json"
    )
    assert response.status_code == 400
    assert response.data["code"] == "weights_sum"
    assert response.data["errors"] == {"indicators": ["The weights add up to 90; they must add up to exactly 100."]}
    assert not Indicator.objects.exists() and not AuditEntry.objects.exists()


def test_a_row_of_the_wrong_shape_is_a_400_with_its_field_and_nothing_is_written(client_for, street_official):
    item = ServiceListItemFactory()
    rows = indicator_rows()
    rows[1]["weight"] = "heavy"
    response = client_for(street_official).post(
        "/api/v1/indicators/set/", {"service_item": item.pk, "indicators": rows}, format="json"
    )
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["indicators.1.weight"]
    assert not Indicator.objects.exists()


def test_a_missing_service_item_is_a_400(client_for, street_official):
    response = client_for(street_official).post("/api/v1/indicators/set/", {"indicators": []}, format="json")
    assert response.status_code == 400
    assert "service_item" in response.data["errors"]


def test_a_community_official_may_not_set_indicators(client_for, official):
    item = ServiceListItemFactory()
    response = client_for(official).post(
        "/api/v1/indicators/set/", {"service_item": item.pk, "indicators": indicator_rows()}, format="json"
    )
    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert not Indicator.objects.exists()


def test_a_draft_item_is_a_404_for_those_who_do_not_maintain_the_list(client_for, resident):
    draft = ServiceListItemFactory(status=ListItemStatus.DRAFT)
    response = client_for(resident.user).post(
        "/api/v1/indicators/set/", {"service_item": draft.pk, "indicators": indicator_rows()}, format="json"
    )
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}
    assert not Indicator.objects.exists()


# --- Evaluations: reading --------------------------------------------------------------------


def test_an_official_lists_the_evaluations_of_their_community_with_scores_nested(client_for, official, project):
    evaluation = EvaluationFactory(project=project)
    IndicatorScoreFactory(evaluation=evaluation, indicator=project.service_item.indicators.get(code="judgement"))
    EvaluationFactory()
    response = client_for(official).get("/api/v1/evaluations/")
    assert ids(response) == {evaluation.pk}
    row = response.data["results"][0]
    assert row["community"] == project.community_id and row["inputs"] == evaluation.inputs
    assert [(score["indicator_code"], score["score"]) for score in row["scores"]] == [("judgement", "80.00")]


def test_staff_of_a_participating_organisation_read_the_projects_evaluations(client_for, project):
    evaluation = EvaluationFactory(project=project)
    staff = MembershipFactory(organisation=ParticipationFactory(project=project).organisation).user
    assert ids(client_for(staff).get("/api/v1/evaluations/")) == {evaluation.pk}
    assert client_for(staff).get(f"/api/v1/evaluations/{evaluation.pk}/").status_code == 200


def test_staff_of_an_organisation_outside_the_project_see_none_of_its_evaluations(client_for, manager_of, project):
    evaluation = EvaluationFactory(project=project)
    outsider = manager_of(ParticipationFactory().organisation)
    assert client_for(outsider).get("/api/v1/evaluations/").data["count"] == 0
    assert client_for(outsider).get(f"/api/v1/evaluations/{evaluation.pk}/").status_code == 404


def test_a_resident_reads_the_evaluations_of_their_communitys_projects(client_for, resident, project):
    evaluation = EvaluationFactory(project=project)
    response = client_for(resident.user).get(f"/api/v1/evaluations/{evaluation.pk}/")
    assert response.status_code == 200
    assert response.data["grade"] == evaluation.grade


def test_another_communitys_evaluation_is_absent_from_the_list_and_a_404(client_for, official, other_community):
    theirs = EvaluationFactory(project=ProjectFactory(community=other_community))
    client = client_for(official)
    assert client.get("/api/v1/evaluations/").data["count"] == 0
    response = client.get(f"/api/v1/evaluations/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_evaluations_are_filtered_by_grade_finality_and_period(client_for, official, community):
    wanted = EvaluationFactory(project=ProjectFactory(community=community), grade="A", is_final=True)
    EvaluationFactory(project=ProjectFactory(community=community), grade="B", is_final=True)
    EvaluationFactory(project=ProjectFactory(community=community), grade="A", is_final=False)
    EvaluationFactory(
        project=ProjectFactory(community=community),
        grade="A",
        is_final=True,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
    )
    url = "/api/v1/evaluations/?grade=A&is_final=true&period_start_after=2025-01-01&period_end_before=2025-12-31"
    assert ids(client_for(official).get(url)) == {wanted.pk}


def test_evaluations_are_filtered_by_community_and_project(client_for, administrator, project):
    mine = EvaluationFactory(project=project)
    EvaluationFactory(project=ProjectFactory(community=project.community))
    EvaluationFactory()
    client = client_for(administrator)
    assert ids(client.get(f"/api/v1/evaluations/?project={project.pk}")) == {mine.pk}
    assert len(ids(client.get(f"/api/v1/evaluations/?community={project.community_id}"))) == 2


def test_evaluations_are_filtered_by_an_organisation_taking_part_listed_once(client_for, administrator, project):
    evaluation = EvaluationFactory(project=project)
    EvaluationFactory()
    provider = ParticipationFactory(project=project, role="provider")
    ParticipationFactory(project=project, organisation=provider.organisation, role="co_funder")
    response = client_for(administrator).get(f"/api/v1/evaluations/?organisation={provider.organisation_id}")
    assert [row["id"] for row in response.data["results"]] == [evaluation.pk]


def test_the_evaluation_list_keeps_its_query_count_from_5_to_50_rows(
    client_for, administrator, django_assert_num_queries
):
    client = client_for(administrator)
    IndicatorScoreFactory.create_batch(5)
    at_five = queries_for(client, "/api/v1/evaluations/")
    IndicatorScoreFactory.create_batch(45)
    with django_assert_num_queries(at_five):
        response = client.get("/api/v1/evaluations/")
    assert response.data["count"] == 50
    assert all(len(row["scores"]) == 1 for row in response.data["results"])


# --- Evaluations: creating -------------------------------------------------------------------


def test_an_official_evaluates_a_project_of_their_community(client_for, official, project):
    response = client_for(official).post("/api/v1/evaluations/", evaluation_body(project), format="json")
    assert response.status_code == 201
    evaluation = Evaluation.objects.get(project=project)
    assert response.data["id"] == evaluation.pk
    # 40% of a clean record (100) and 60% of the evaluator's 80.
    assert evaluation.total == Decimal("88.00") and response.data["grade"] == "A"
    assert {score["indicator_code"]: score["score"] for score in response.data["scores"]} == {
        "record": "100.00",
        "judgement": "80.00",
    }
    assert response.data["inputs"]["evaluator_scores"] == {"judgement": 80.0}
    assert IndicatorScore.objects.filter(evaluation=evaluation).count() == 2


def test_an_evaluation_made_through_the_api_is_audited(client_for, official, project):
    client_for(official).post("/api/v1/evaluations/", evaluation_body(project), format="json")
    evaluation = Evaluation.objects.get(project=project)
    assert audited("evaluation").filter(object_id=str(evaluation.pk), actor=official).exists()
    assert audited("indicatorscore").filter(actor=official).count() == 2


def test_a_body_of_the_wrong_shape_is_a_400_with_field_errors_and_nothing_is_written(client_for, official, project):
    body = evaluation_body(project, period_start="first of January", evaluator_scores={"judgement": "good"})
    response = client_for(official).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"period_start", "evaluator_scores.judgement"}
    assert not Evaluation.objects.exists() and not AuditEntry.objects.exists()


def test_a_domain_refusal_is_a_400_naming_the_field(client_for, official, project):
    body = evaluation_body(project, evaluator_scores={"judgement": 120})
    response = client_for(official).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "score_range"
    assert response.data["errors"] == {"evaluator_scores": ["judgement: a score must be a number from 0 to 100."]}
    assert not Evaluation.objects.exists() and not IndicatorScore.objects.exists()


def test_a_score_for_an_indicator_drawn_from_the_data_is_a_400(client_for, official, project):
    body = evaluation_body(project, evaluator_scores={"judgement": 80, "record": 50})
    response = client_for(official).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "scored_from_data"
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", ["resident", "staff"])
def test_a_resident_or_the_providers_staff_may_not_evaluate(client_for, resident, project, role):
    user = (
        resident.user
        if role == "resident"
        else MembershipFactory(organisation=ParticipationFactory(project=project).organisation).user
    )
    response = client_for(user).post("/api/v1/evaluations/", evaluation_body(project), format="json")
    assert response.status_code == 403
    assert response.data["message"] == "Only an official of this community may do this."
    assert not Evaluation.objects.exists() and not AuditEntry.objects.exists()


def test_another_communitys_project_is_a_404_and_nothing_is_written(client_for, official, other_community):
    theirs = ProjectFactory(community=other_community)
    response = client_for(official).post("/api/v1/evaluations/", evaluation_body(theirs), format="json")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}
    assert not Evaluation.objects.exists()


def test_a_period_already_evaluated_is_a_409(client_for, official, project):
    EvaluationFactory(project=project, period_start=date(2025, 1, 1))
    response = client_for(official).post("/api/v1/evaluations/", evaluation_body(project), format="json")
    assert response.status_code == 409
    assert response.data["code"] == "duplicate_period"
    assert "period_start" in response.data["errors"]
    assert Evaluation.objects.count() == 1


def test_a_second_final_evaluation_is_a_409(client_for, official, project):
    project.stage = Stage.EVALUATION
    project.save(update_fields=["stage"])
    EvaluationFactory(project=project, is_final=True)
    body = evaluation_body(project, period_start="2025-07-01", period_end="2025-12-31", is_final=True)
    response = client_for(official).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 409
    assert response.data["code"] == "final_exists"
    assert Evaluation.objects.count() == 1


def test_a_final_evaluation_before_the_evaluation_stage_is_a_400(client_for, official, project):
    response = client_for(official).post("/api/v1/evaluations/", evaluation_body(project, is_final=True), format="json")
    assert response.status_code == 400
    assert response.data["code"] == "final_too_early"
    assert not Evaluation.objects.exists()
