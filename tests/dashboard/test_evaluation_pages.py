"""The officials' evaluation pages: a project's evaluation form with the period's figures, the preview of the
grade, recording periodic and final evaluations, the refusals said beforehand, past evaluations, indicators."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import ReportStatus, Stage
from evaluation.models import Evaluation, Indicator, IndicatorScore
from tests import factories
from tests.evaluation.conftest import give_indicators
from tests.pages import official_of, queries_to_get, resident_user_of, street_official_of

pytestmark = pytest.mark.django_db

FIRST_HALF = {"period_start": "2025-01-01", "period_end": "2025-06-30"}
# With no data in the period: meals 0 (weight 30) and record 100 (weight 20) come from the data.
JUDGED = {"score_satisfaction": "80", "score_inspections": "70", "score_judgement": "90"}


def evaluation_url(project):
    return reverse("dashboard:project_evaluation", kwargs={"pk": project.pk})


def indicators_url(project):
    return reverse("dashboard:project_indicators", kwargs={"pk": project.pk})


@pytest.fixture
def project():
    project = factories.ProjectFactory(name="Dining hall")
    give_indicators(project.service_item)
    return project


@pytest.fixture
def official(client, project):
    user = official_of(project.community)
    client.force_login(user)
    return user


def post(client, project, **data):
    return client.post(evaluation_url(project), {"is_final": "periodic", **FIRST_HALF, **JUDGED, **data})


# --- Reaching the page -------------------------------------------------------------------------------


def test_the_project_page_links_to_its_evaluation(client, project, official):
    response = client.get(reverse("dashboard:project_detail", kwargs={"pk": project.pk}))

    assert evaluation_url(project) in response.content.decode()


def test_residents_are_refused_and_other_communities_projects_are_not_found(client, project):
    client.force_login(resident_user_of(project.community))
    assert client.get(evaluation_url(project)).status_code == 403

    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(evaluation_url(project)).status_code == 404
    assert client.get(indicators_url(project)).status_code == 404


# --- The form and its figures ------------------------------------------------------------------------


def test_the_page_shows_each_indicator_with_its_weight_and_the_score_the_data_gives(client, project, official):
    report = factories.ServiceReportFactory(
        project=project,
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        service_units=450,
        status=ReportStatus.ACCEPTED,
        reviewed_by=official,
        reviewed_at=timezone.now(),
        review_comment="Checked.",
    )

    response = client.get(evaluation_url(project))

    rows = {row["indicator"].code: row for row in response.context["rows"]}
    assert [row["indicator"].weight for row in response.context["rows"]] == [30, 20, 20, 20, 10]
    assert rows["meals"]["drawn"] == Decimal("45.00") and rows["meals"]["score_field"] is None
    assert rows["record"]["drawn"] == Decimal("100.00")
    # The data cannot score these over the period: the evaluator is asked for a score and evidence.
    assert {code for code, row in rows.items() if row["score_field"]} == {"satisfaction", "inspections", "judgement"}
    assert list(response.context["reports"]) == [report]
    assert "450 service units reported, against a target of 1000" in response.content.decode()


def test_the_preview_shows_the_total_and_grade_and_records_nothing(client, project, official):
    response = post(client, project, preview="1")

    draft = response.context["draft"]
    # 30 x 0 + 20 x 100 + 20 x 80 + 20 x 90 + 10 x 70 = 6100 / 100
    assert (draft.total, draft.grade) == (Decimal("61.00"), "C")
    assert 'id="evaluation-preview"' in response.content.decode()
    assert not Evaluation.objects.exists()


def test_an_official_records_a_periodic_evaluation_with_evidence_and_sees_its_grade(client, project, official):
    response = post(client, project, evidence_judgement="Visited twice; menus kept.", comment="A fair start.")

    evaluation = Evaluation.objects.get(project=project)
    assert response.status_code == 302
    assert response.url == reverse("dashboard:evaluation_detail", kwargs={"pk": evaluation.pk})
    assert (evaluation.total, evaluation.grade, evaluation.is_final) == (Decimal("61.00"), "C", False)
    assert evaluation.scores.get(indicator__code="judgement").note == "Visited twice; menus kept."
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Visited twice; menus kept." in page.content.decode()
    assert "A fair start." in page.content.decode()


def test_an_unscored_indicator_is_refused_beside_its_input_and_what_was_typed_stays(client, project, official):
    response = post(client, project, score_judgement="", comment="Keep this comment.")

    assert response.status_code == 200
    assert response.context["form"].errors["score_judgement"] == ["This field is required."]
    assert "Keep this comment." in response.content.decode()
    assert response.context["form"]["score_satisfaction"].value() == "80"
    assert not Evaluation.objects.exists() and not IndicatorScore.objects.exists()


def test_a_score_above_100_is_refused_beside_its_input(client, project, official):
    response = post(client, project, score_judgement="120")

    assert response.context["form"].errors["score_judgement"] == ["Ensure this value is less than or equal to 100."]
    assert not Evaluation.objects.exists()


def test_a_period_where_the_data_scores_more_asks_the_evaluator_for_less(client, project, official):
    """The figures follow the period typed: with ratings in it, satisfaction is no longer the evaluator's."""
    factories.RatingFactory(project=project, period=date(2025, 2, 1), score=5)

    response = post(client, project, preview="1")

    rows = {row["indicator"].code: row for row in response.context["rows"]}
    assert rows["satisfaction"]["drawn"] == Decimal("100.00") and rows["satisfaction"]["score_field"] is None
    # The score typed for it earlier is not used: 30 x 0 + 20 x 100 + 20 x 100 + 20 x 90 + 10 x 70.
    assert response.context["draft"].total == Decimal("65.00")


def test_a_period_overlapping_an_evaluated_one_is_refused(client, project, official):
    factories.EvaluationFactory(project=project, period_start=date(2025, 1, 1), period_end=date(2025, 3, 31))

    response = post(client, project, period_start="2025-03-01")

    assert "The period overlaps the evaluation of 2025-01-01 to 2025-03-31" in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_the_next_period_to_evaluate_follows_the_last_one(client, project, official):
    factories.EvaluationFactory(project=project, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30))

    response = client.get(evaluation_url(project))

    assert response.context["form"]["period_start"].value() == date(2025, 7, 1)


# --- Refusals said before the form -------------------------------------------------------------------


def test_a_project_without_indicators_says_so_and_offers_no_form(client, official):
    project = factories.ProjectFactory(community=official.official_posts.get().community)

    response = client.get(evaluation_url(project))

    body = response.content.decode()
    assert "needs indicators whose weights add up to 100 (now 0)" in body
    assert indicators_url(project) in body
    assert 'class="evaluation-form"' not in body


def test_a_project_in_design_cannot_be_evaluated_and_is_sent_to_its_page(client, project, official):
    project.stage = Stage.DESIGN
    project.save()

    body = client.get(evaluation_url(project)).content.decode()

    assert "Only a project in operation or under evaluation can be evaluated" in body
    assert 'class="evaluation-form"' not in body


def test_a_project_in_operation_is_offered_no_final_evaluation(client, project, official):
    response = client.get(evaluation_url(project))

    assert [value for value, _label in response.context["form"].fields["is_final"].choices] == ["periodic"]
    assert "A final evaluation is made once the project has moved to the evaluation stage." in (
        response.content.decode()
    )


def test_a_project_with_its_final_evaluation_is_offered_no_second_one(client, project, official):
    project.stage = Stage.EVALUATION
    project.save()
    factories.EvaluationFactory(project=project, is_final=True)

    response = client.get(evaluation_url(project))

    assert "This project already has its final evaluation." in response.content.decode()
    assert [value for value, _label in response.context["form"].fields["is_final"].choices] == ["periodic"]


# --- The final evaluation lets the project close -----------------------------------------------------


def test_the_final_evaluation_lets_the_project_close(client, project, official):
    project.stage = Stage.EVALUATION
    project.save()

    response = post(client, project, is_final="final", period_start="2025-01-01", period_end="2027-12-31")

    evaluation = Evaluation.objects.get(project=project, is_final=True)
    detail = client.get(response.url).content.decode()
    assert 'id="close-next"' in detail
    moved = client.post(
        reverse("dashboard:project_move", kwargs={"pk": project.pk}),
        {
            "transition-to_stage": "closed",
            "transition-reason": "The contract has ended.",
        },
    )
    assert moved.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.CLOSED
    assert evaluation.grade in detail


# --- Past evaluations and the result page ------------------------------------------------------------


def test_past_evaluations_are_listed_with_their_grade_in_as_many_queries_for_8_as_for_1(client, project, official):
    factories.EvaluationFactory(project=project, period_start=date(2025, 1, 1), period_end=date(2025, 1, 31))
    one = queries_to_get(client, evaluation_url(project))
    for month in range(2, 9):
        factories.EvaluationFactory(
            project=project,
            period_start=date(2025, month, 1),
            period_end=date(2025, month, 28),
            grade="A",
        )

    assert queries_to_get(client, evaluation_url(project)) == one
    assert len(client.get(evaluation_url(project)).context["evaluations"]) == 8


def test_another_communitys_evaluation_is_not_found(client, official):
    evaluation = factories.EvaluationFactory()

    assert client.get(reverse("dashboard:evaluation_detail", kwargs={"pk": evaluation.pk})).status_code == 404


# --- Indicators ----------------------------------------------------------------------------------------


def rows_posted(rows):
    data = {"indicators-TOTAL_FORMS": str(len(rows)), "indicators-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data.update({f"indicators-{number}-{name}": value for name, value in row.items()})
    return data


def test_a_community_official_sees_the_indicators_and_who_sets_them(client, project, official):
    body = client.get(indicators_url(project)).content.decode()

    assert 'id="indicators-who"' in body and "Judgement" in body
    assert client.post(indicators_url(project), rows_posted([])).status_code == 403


def test_a_street_official_sets_the_indicators_of_a_projects_service(client):
    project = factories.ProjectFactory()
    client.force_login(street_official_of(project.community.street))

    response = client.post(
        indicators_url(project),
        rows_posted(
            [
                {"code": "meals", "name": "Meals served", "weight": "60", "source": "report_outputs", "target": "1000"},
                {"code": "judgement", "name": "Judgement", "weight": "40", "source": "evaluator"},
                {"code": "", "name": "", "weight": "", "source": "", "target": ""},
            ]
        ),
    )

    assert response.status_code == 302 and response.url == evaluation_url(project)
    assert dict(Indicator.objects.filter(service_item=project.service_item).values_list("code", "weight")) == {
        "meals": 60,
        "judgement": 40,
    }


def test_indicators_whose_weights_do_not_add_up_are_refused_and_kept_on_screen(client):
    project = factories.ProjectFactory()
    client.force_login(street_official_of(project.community.street))

    response = client.post(
        indicators_url(project),
        rows_posted(
            [
                {"code": "judgement", "name": "Judgement", "weight": "40", "source": "evaluator"},
            ]
        ),
    )

    assert response.status_code == 200
    assert "The weights add up to 40; they must add up to exactly 100." in response.content.decode()
    assert 'value="Judgement"' in response.content.decode()
    assert not Indicator.objects.exists()


def test_once_every_period_is_evaluated_only_the_evaluators_own_indicators_ask_for_a_score(client, project, official):
    factories.EvaluationFactory(project=project, period_start=date(2025, 1, 1), period_end=date(2027, 12, 31))

    response = client.get(evaluation_url(project))

    assert response.context["period"] is None
    assert {row["indicator"].code for row in response.context["rows"] if row["score_field"]} == {"judgement"}
    assert "Every period of the project's dates has been evaluated already." in response.content.decode()
