"""The selection pages keep a call honest: one call per project, a real window, reviews after it, ranks from scores."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import BreachStatus
from coproduction.models import Call, CallStatus, ParticipationRole, Review, Stage
from tests import factories
from tests.pages import official_of, queries_to_get

pytestmark = pytest.mark.django_db


def call_url(call, name="dashboard:call_detail"):
    return reverse(name, kwargs={"pk": call.pk})


def review_url(application):
    return reverse("dashboard:application_review", kwargs={"pk": application.pk})


def call_with_criteria(*, deadline, **kwargs):
    call = factories.CallFactory(deadline=deadline, **kwargs)
    factories.CriterionFactory(call=call, name="Experience", weight=60)
    factories.CriterionFactory(call=call, name="Price", weight=40)
    return call


def open_call(**kwargs):
    return call_with_criteria(deadline=timezone.now() + timedelta(days=10), **kwargs)


def closed_call(**kwargs):
    return call_with_criteria(deadline=timezone.now() - timedelta(days=1), **kwargs)


def reviewed(application, *totals):
    for total in totals:
        factories.ReviewFactory(
            application=application, reviewer=official_of(application.call.project.community), total=Decimal(total)
        )


def call_form(**overrides):
    data = {
        "title": "Dining hall operator",
        "description": "",
        "min_reviewers": "2",
        "deadline": (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "criteria-TOTAL_FORMS": "4",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "criteria-0-name": "Experience",
        "criteria-0-weight": "60",
        "criteria-1-name": "Price",
        "criteria-1-weight": "40",
    }
    return {**data, **overrides}


# --- Opening a call ---------------------------------------------------------------------------------


def test_the_open_form_says_the_earliest_deadline_allowed(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    client.force_login(official_of(project.community))
    page = client.get(reverse("dashboard:call_open", kwargs={"pk": project.pk})).content.decode()
    assert "Leave at least 7 days to apply: no earlier than" in page


def test_a_project_with_a_call_under_way_shows_it_instead_of_the_form(client):
    under_way = open_call(title="Day care operator")
    client.force_login(official_of(under_way.project.community))

    page = client.get(reverse("dashboard:call_open", kwargs={"pk": under_way.project_id})).content.decode()

    assert "This project already has a call under way: “Day care operator” (Open)." in page
    assert call_url(under_way) in page
    assert 'name="title"' not in page


def test_a_second_call_posted_anyway_is_refused_inline_and_the_input_kept(client):
    under_way = open_call(title="Day care operator")
    client.force_login(official_of(under_way.project.community))

    response = client.post(
        reverse("dashboard:call_open", kwargs={"pk": under_way.project_id}), call_form(title="Second try")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This project already has a call under way: “Day care operator” (Open)." in page
    assert 'value="Second try"' in page
    assert Call.objects.filter(project=under_way.project).count() == 1


def test_a_deadline_inside_the_window_is_refused_with_the_earliest_allowed(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    client.force_login(official_of(project.community))
    too_soon = (timezone.localtime() + timedelta(minutes=14)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(reverse("dashboard:call_open", kwargs={"pk": project.pk}), call_form(deadline=too_soon))

    page = response.content.decode()
    assert "Organisations need at least 7 days to apply: the earliest deadline allowed is" in page
    assert 'value="Dining hall operator"' in page
    assert not Call.objects.filter(project=project).exists()


# --- Before the deadline --------------------------------------------------------------------------


def test_before_the_deadline_the_call_shows_when_reviews_open_and_no_review_or_award_form(client):
    call = open_call()
    application = factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))

    page = client.get(call_url(call)).content.decode()

    assert "Reviews and the award open then" in page
    assert review_url(application) not in page
    assert call_url(call, "dashboard:call_award") not in page
    assert "Not scored yet" in page


def test_before_the_deadline_the_review_page_shows_the_date_instead_of_the_form(client):
    call = open_call()
    application = factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))

    page = client.get(review_url(application)).content.decode()

    assert "Applications are open until" in page and "reviews open then." in page
    assert "score_" not in page


def test_a_review_posted_before_the_deadline_records_nothing(client):
    call = open_call()
    application = factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))
    scores = {f"score_{criterion.pk}": "80" for criterion in call.criteria.all()}

    response = client.post(review_url(application), scores)

    assert response.status_code == 200 and "reviews open then." in response.content.decode()
    assert not Review.objects.exists()


# --- After the deadline -------------------------------------------------------------------------


def test_the_review_form_states_the_scale_of_each_criterion(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))

    page = client.get(review_url(application)).content.decode()

    assert "Experience (weight 60, scored 0 to 100)" in page
    assert "Price (weight 40, scored 0 to 100)" in page
    assert 'max="100"' in page


def test_the_reviewer_sees_the_applicants_trust_score_open_breaches_and_past_grades(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    organisation = application.organisation
    factories.TrustScoreFactory(organisation=organisation, computed_on=date(2026, 1, 1), score=Decimal("55.00"))
    factories.TrustScoreFactory(organisation=organisation, computed_on=date(2026, 2, 1), score=Decimal("64.50"))
    factories.BreachFactory(organisation=organisation)
    factories.BreachFactory(organisation=organisation)
    factories.BreachFactory(
        organisation=organisation,
        status=BreachStatus.RESOLVED,
        resolved_at=timezone.now(),
        resolved_by=factories.UserFactory(),
    )
    delivered = factories.ParticipationFactory(organisation=organisation, role=ParticipationRole.PROVIDER).project
    factories.EvaluationFactory(project=delivered, grade="A", total=Decimal("91.00"))
    client.force_login(official_of(call.project.community))

    for url in (review_url(application), call_url(call)):
        page = client.get(url).content.decode()
        assert "64.50" in page and "55.00" not in page
        assert "<dd>2</dd>" in page or '<td class="number">2</td>' in page
        assert "<strong>A</strong> Excellent" in page


def test_an_applicant_without_a_record_says_so(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))

    page = client.get(review_url(application)).content.decode()

    assert "Not computed yet" in page and "Not evaluated yet" in page


def test_ranks_come_from_scores_ties_share_a_rank_and_the_unscored_have_none(client):
    call = closed_call()
    first, tied, unscored = (factories.ApplicationFactory(call=call) for _ in range(3))
    reviewed(first, "80.00")
    reviewed(tied, "80.00")
    client.force_login(official_of(call.project.community))

    page = client.get(call_url(call)).content.decode()

    assert page.count('<td class="number">1</td>') == 2
    assert "Not scored yet" in page
    assert review_url(unscored) in page


def test_after_the_deadline_the_award_form_is_offered(client):
    call = closed_call()
    factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))
    assert call_url(call, "dashboard:call_award") in client.get(call_url(call)).content.decode()


def test_a_decided_call_offers_no_review(client):
    call = closed_call(status=CallStatus.CANCELLED)
    application = factories.ApplicationFactory(call=call)
    client.force_login(official_of(call.project.community))

    page = client.get(review_url(application)).content.decode()

    assert "This call is already cancelled." in page and "score_" not in page


def test_the_call_page_reads_the_applicants_records_in_as_many_queries_for_12_as_for_3(client):
    call = closed_call()
    client.force_login(official_of(call.project.community))

    def applicant():
        application = factories.ApplicationFactory(call=call)
        reviewed(application, "70.00")
        factories.TrustScoreFactory(organisation=application.organisation)
        factories.BreachFactory(organisation=application.organisation)
        project = factories.ParticipationFactory(organisation=application.organisation).project
        factories.EvaluationFactory(project=project)

    for _ in range(3):
        applicant()
    few = queries_to_get(client, call_url(call))
    for _ in range(9):
        applicant()
    assert queries_to_get(client, call_url(call)) == few
