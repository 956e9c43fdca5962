"""The officials' selection pages: the service list, calls, reviews, conflicts, the award, cancelling."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from coproduction.models import Call, CallStatus, ConflictDeclaration, Criterion, Review, Stage
from service_list.models import ListItemStatus, ServiceListItem
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of, staff_of, street_official_of

pytestmark = pytest.mark.django_db
SERVICE_LIST = reverse("dashboard:service_list")


def call_url(call, name="dashboard:call_detail"):
    return reverse(name, kwargs={"pk": call.pk})


def closed_call(**kwargs):
    """A call whose deadline has passed, scored on two criteria of weight 50."""
    call = factories.CallFactory(deadline=timezone.now() - timedelta(days=1), **kwargs)
    factories.CriterionFactory.create_batch(2, call=call, weight=50)
    return call


def reviewed(application, count):
    for _ in range(count):
        factories.ReviewFactory(application=application, reviewer=official_of(application.call.project.community))


# --- The service list ---------------------------------------------------------------------------


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(SERVICE_LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_are_refused_the_service_list(client):
    client.force_login(resident_user_of(factories.CommunityFactory()))
    assert client.get(SERVICE_LIST).status_code == 403


def test_a_community_official_sees_published_items_without_drafts_or_buttons(client):
    factories.ServiceListItemFactory(name="Dining hall")
    factories.ServiceListItemFactory(name="Secret draft", draft=True)
    client.force_login(official_of(factories.CommunityFactory()))
    page = client.get(SERVICE_LIST).content.decode()
    assert "Dining hall" in page and "Secret draft" not in page
    assert "New version" not in page


def test_a_street_official_publishes_a_draft_and_the_old_version_retires(client):
    old = factories.ServiceListItemFactory(code="dining")
    draft = factories.ServiceListItemFactory(code="dining", version=2, draft=True)
    client.force_login(street_official_of(factories.StreetFactory()))

    response = client.post(reverse("dashboard:service_item_publish", kwargs={"pk": draft.pk}))

    assert response.status_code == 302
    draft.refresh_from_db(), old.refresh_from_db()
    assert (draft.status, old.status) == (ListItemStatus.PUBLISHED, ListItemStatus.RETIRED)
    assert AuditEntry.objects.filter(object_id=str(draft.pk)).exists()


def test_a_community_official_may_not_publish(client):
    draft = factories.ServiceListItemFactory(draft=True)
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.post(reverse("dashboard:service_item_publish", kwargs={"pk": draft.pk})).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ListItemStatus.DRAFT and not AuditEntry.objects.exists()


def test_a_street_official_starts_a_new_version_as_a_draft(client):
    item = factories.ServiceListItemFactory(code="dining")
    client.force_login(street_official_of(factories.StreetFactory()))
    client.post(reverse("dashboard:service_item_new_version", kwargs={"pk": item.pk}))
    assert ServiceListItem.objects.get(code="dining", version=2).status == ListItemStatus.DRAFT


def test_the_service_list_makes_as_many_queries_for_30_items_as_for_3(client):
    client.force_login(street_official_of(factories.StreetFactory()))
    factories.ServiceListItemFactory.create_batch(3)
    few = queries_to_get(client, SERVICE_LIST)
    factories.ServiceListItemFactory.create_batch(27)
    assert queries_to_get(client, SERVICE_LIST) == few


# --- Calls of a community ------------------------------------------------------------------------


def test_the_community_calls_page_lists_its_calls(client):
    call = factories.CallFactory(title="Dining hall operator")
    factories.CallFactory(title="Elsewhere")
    client.force_login(official_of(call.project.community))
    page = client.get(reverse("dashboard:community_calls", kwargs={"code": call.project.community.code}))
    assert "Dining hall operator" in page.content.decode() and "Elsewhere" not in page.content.decode()


def test_another_communitys_calls_are_not_found(client):
    client.force_login(official_of(factories.CommunityFactory()))
    other = factories.CommunityFactory()
    assert client.get(reverse("dashboard:community_calls", kwargs={"code": other.code})).status_code == 404


# --- Opening a call --------------------------------------------------------------------------------


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


def test_an_official_opens_a_call_with_weighted_criteria(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    client.force_login(official_of(project.community))

    response = client.post(reverse("dashboard:call_open", kwargs={"pk": project.pk}), call_form())

    call = Call.objects.get(project=project)
    assert response.status_code == 302 and response.url == call_url(call)
    assert sorted(call.criteria.values_list("name", "weight")) == [("Experience", 60), ("Price", 40)]


def test_weights_that_miss_100_are_refused_inline_and_the_input_kept(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    client.force_login(official_of(project.community))

    response = client.post(
        reverse("dashboard:call_open", kwargs={"pk": project.pk}), call_form(**{"criteria-1-weight": "30"})
    )

    assert response.status_code == 200
    assert "add up to 90" in response.content.decode()
    assert 'value="Dining hall operator"' in response.content.decode()
    assert not Call.objects.exists() and not Criterion.objects.exists()


def test_a_call_on_a_project_in_operation_is_refused_inline(client):
    project = factories.ProjectFactory(stage=Stage.OPERATION)
    client.force_login(official_of(project.community))
    response = client.post(reverse("dashboard:call_open", kwargs={"pk": project.pk}), call_form())
    assert "selected in the design stage" in response.content.decode()
    assert not Call.objects.exists()


def test_a_call_on_another_communitys_project_is_not_found(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(reverse("dashboard:call_open", kwargs={"pk": project.pk})).status_code == 404


# --- A call: ranking and reviews ---------------------------------------------------------------


def test_the_call_page_ranks_applications_and_counts_missing_reviews(client):
    call = closed_call()
    low, high = factories.ApplicationFactory.create_batch(2, call=call)
    factories.ReviewFactory(application=low, total=40)
    factories.ReviewFactory(application=high, total=90)
    client.force_login(official_of(call.project.community))

    response = client.get(call_url(call))

    assert response.context["ranking"] == [high, low]
    assert response.context["missing_total"] == 2


def test_staff_of_an_applicant_are_refused_the_call_page(client):
    application = factories.ApplicationFactory()
    client.force_login(staff_of(application.organisation))
    assert client.get(call_url(application.call)).status_code == 403


def test_another_communitys_call_is_not_found(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(call_url(factories.CallFactory())).status_code == 404


def test_the_call_page_makes_as_many_queries_for_30_applications_as_for_3(client):
    small, large = closed_call(), closed_call()
    for call, count in ((small, 3), (large, 30)):
        for application in factories.ApplicationFactory.create_batch(count, call=call):
            factories.ReviewFactory(application=application)
    client.force_login(official_of(small.project.community))
    few = queries_to_get(client, call_url(small))
    client.force_login(official_of(large.project.community))
    assert queries_to_get(client, call_url(large)) == few


def review_data(call, **overrides):
    return {**{f"score_{c.pk}": "80" for c in call.criteria.all()}, "comment": "Solid plan.", **overrides}


def test_an_official_reviews_an_application_after_the_deadline(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    official = official_of(call.project.community)
    client.force_login(official)

    response = client.post(reverse("dashboard:application_review", kwargs={"pk": application.pk}), review_data(call))

    assert response.status_code == 302 and response.url == call_url(call)
    review = Review.objects.get(application=application, reviewer=official)
    assert review.total == 80 and review.scores.count() == 2
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEWING


def test_a_reviewer_with_a_declared_conflict_is_refused_inline(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    official = official_of(call.project.community)
    factories.ConflictDeclarationFactory(reviewer=official, organisation=application.organisation, call=call)
    client.force_login(official)

    response = client.post(
        reverse("dashboard:application_review", kwargs={"pk": application.pk}), review_data(call, comment="Kept")
    )

    assert response.status_code == 200
    assert "declared a conflict of interest" in response.content.decode()
    assert "Kept" in response.content.decode()
    assert not Review.objects.exists()


def test_an_official_declares_a_conflict_with_an_applicant(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    official = official_of(call.project.community)
    client.force_login(official)

    response = client.post(
        call_url(call, "dashboard:call_conflict"),
        {
            "conflict-organisation": application.organisation.pk,
            "conflict-reason": "My cousin runs it.",
            "conflict-scope": "call",
        },
    )

    assert response.status_code == 302
    declared = ConflictDeclaration.objects.filter(reviewer=official, call=call)
    assert list(declared.values_list("organisation", flat=True)) == [application.organisation.pk]


# --- The award and cancelling ----------------------------------------------------------------------


def test_the_award_is_refused_inline_while_reviews_are_missing(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    reviewed(application, 1)
    client.force_login(official_of(call.project.community))

    response = client.post(
        call_url(call, "dashboard:call_award"),
        {
            "award-application": application.pk,
            "award-reason": "Best plan and price.",
        },
    )

    assert response.status_code == 200
    assert "1 review is still missing" in response.content.decode()
    assert "Best plan and price." in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN and call.awarded_application is None


def test_an_official_awards_the_call_with_a_reason(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    reviewed(application, 2)
    client.force_login(official_of(call.project.community))

    response = client.post(
        call_url(call, "dashboard:call_award"),
        {
            "award-application": application.pk,
            "award-reason": "Best plan and price.",
        },
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.AWARDED and call.awarded_application == application
    assert call.single_applicant is True


def test_an_official_cancels_a_call_with_a_reason(client):
    call = factories.CallFactory()
    client.force_login(official_of(call.project.community))
    response = client.post(call_url(call, "dashboard:call_cancel"), {"cancel-reason": "The budget was cut."})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.CANCELLED


def test_cancelling_an_awarded_call_is_refused_inline(client):
    call = closed_call()
    application = factories.ApplicationFactory(call=call)
    reviewed(application, 2)
    official = official_of(call.project.community)
    client.force_login(official)
    client.post(call_url(call, "dashboard:call_award"), {"award-application": application.pk, "award-reason": "Best."})

    response = client.post(call_url(call, "dashboard:call_cancel"), {"cancel-reason": "Changed our minds."})

    assert "already awarded" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.AWARDED
