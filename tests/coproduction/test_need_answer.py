"""Officials answer needs: planned, declined with a reason, or merged into a project, through pages, API and admin."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from coproduction.models import NeedStatus, Stage
from coproduction.services.needs import need_answer
from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def need():
    return factories.NeedFactory(title="Lunch for the elderly")


@pytest.fixture
def official(need):
    return official_of(need.community)


def resident_with_login(need):
    need.resident.user = factories.UserFactory()
    need.resident.save(update_fields=["user"])
    return need.resident.user


def refusal_code(refusal, field):
    return refusal.value.error_dict[field][0].code


def assert_unanswered(need):
    need.refresh_from_db()
    assert (need.status, need.response, need.responded_at, need.project) == (NeedStatus.OPEN, "", None, None)
    assert not AuditEntry.objects.filter(action=AuditAction.CHANGE).exists()


def test_an_official_plans_a_need_and_the_answer_its_date_and_author_are_recorded(need, official):
    answered = need_answer(need=need, user=official, status=NeedStatus.PLANNED, response="  Lunches from March.  ")

    answered.refresh_from_db()
    assert (answered.status, answered.response) == (NeedStatus.PLANNED, "Lunches from March.")
    assert answered.responded_by == official and answered.responded_at is not None and answered.project is None


def test_the_answer_is_audited_with_the_need_as_it_was(need, official):
    need_answer(need=need, user=official, status=NeedStatus.DECLINED, response="No room in the budget this year.")

    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_id=str(need.pk))
    assert entry.actor == official and entry.before["status"] == "open" and entry.after["status"] == "declined"


def test_a_need_is_merged_into_a_project_of_its_community(need, official):
    project = factories.ProjectFactory(community=need.community, stage=Stage.OPERATION)

    answered = need_answer(need=need, user=official, status=NeedStatus.MERGED, project=project)

    assert (answered.status, answered.project, answered.response) == (NeedStatus.MERGED, project, "")


def test_a_planned_need_may_later_be_merged_into_the_project_that_meets_it(need, official):
    need_answer(need=need, user=official, status=NeedStatus.PLANNED, response="We will start a dining hall.")
    project = factories.ProjectFactory(community=need.community)

    answered = need_answer(
        need=need, user=official, status=NeedStatus.MERGED, project=project, response="The new dining hall serves it."
    )

    assert (answered.status, answered.project) == (NeedStatus.MERGED, project)


@pytest.mark.parametrize("status", [NeedStatus.DECLINED, NeedStatus.MERGED])
def test_a_final_answer_cannot_be_changed(need, official, status):
    project = factories.ProjectFactory(community=need.community)
    need_answer(need=need, user=official, status=status, response="No.", project=project)

    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.PLANNED, response="Yes after all.")
    assert refusal.value.code == "already_answered"


def test_planning_without_saying_what_is_refused_on_the_response(need, official):
    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.PLANNED, response="   ")
    assert refusal_code(refusal, "response") == "response_required"
    assert_unanswered(need)


def test_declining_without_a_reason_is_refused(need, official):
    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.DECLINED, response="")
    assert refusal_code(refusal, "response") == "reason_required"
    assert_unanswered(need)


def test_merging_without_a_project_is_refused_on_the_project(need, official):
    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.MERGED)
    assert refusal_code(refusal, "project") == "project_required"
    assert_unanswered(need)


def test_merging_into_another_community_s_project_is_refused(need, official):
    elsewhere = factories.ProjectFactory()
    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.MERGED, project=elsewhere)
    assert refusal_code(refusal, "project") == "project_other_community"
    assert_unanswered(need)


def test_merging_into_a_closed_project_is_refused(need, official):
    closed = factories.ProjectFactory(community=need.community, stage=Stage.CLOSED)
    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.MERGED, project=closed)
    assert refusal_code(refusal, "project") == "project_closed"
    assert_unanswered(need)


def test_open_is_no_answer(need, official):
    with pytest.raises(ValidationError) as refusal:
        need_answer(need=need, user=official, status=NeedStatus.OPEN, response="Later.")
    assert refusal_code(refusal, "status") == "answer_required"
    assert_unanswered(need)


@pytest.mark.parametrize("who", ["another community's official", "the resident", "a partner's manager"])
def test_only_an_official_of_the_need_s_community_may_answer(need, who):
    user = {
        "another community's official": lambda: official_of(factories.CommunityFactory()),
        "the resident": lambda: resident_with_login(need),
        "a partner's manager": lambda: factories.MembershipFactory().user,
    }[who]()
    with pytest.raises(PermissionDenied):
        need_answer(need=need, user=user, status=NeedStatus.PLANNED, response="Yes.")
    assert_unanswered(need)


# --- The API: POST needs/{id}/answer/ calls the same service ----------------------------------


def answer_url(need) -> str:
    return f"/api/v1/needs/{need.pk}/answer/"


def test_the_api_answers_a_need_for_an_official_of_its_community(client, need, official):
    client.force_login(official)

    response = client.post(
        answer_url(need), {"status": "planned", "response": "Lunches from March."}, content_type="application/json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["response"]) == ("planned", "Lunches from March.") and body["responded_at"]


def test_the_api_merges_into_a_project_named_by_id(client, need, official):
    project = factories.ProjectFactory(community=need.community, name="Dining hall")
    client.force_login(official)

    response = client.post(
        answer_url(need), {"status": "merged", "project": project.pk}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["project_name"] == "Dining hall"


def test_the_api_refuses_a_decline_without_reason_in_its_error_shape(client, need, official):
    client.force_login(official)

    response = client.post(answer_url(need), {"status": "declined"}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "reason_required" and "response" in response.json()["errors"]
    assert_unanswered(need)


def test_the_api_answers_409_to_a_need_with_its_final_answer(client, need, official):
    need_answer(need=need, user=official, status=NeedStatus.DECLINED, response="No room.")
    client.force_login(official)

    response = client.post(answer_url(need), {"status": "planned", "response": "Yes."}, content_type="application/json")

    assert response.status_code == 409 and response.json()["code"] == "already_answered"


def test_another_community_s_need_is_not_found_in_the_api(client, need):
    client.force_login(official_of(factories.CommunityFactory()))

    response = client.post(answer_url(need), {"status": "planned", "response": "Yes."}, content_type="application/json")

    assert response.status_code == 404
    assert_unanswered(need)


def test_the_resident_reads_their_need_in_the_api_but_may_not_answer_it(client, need):
    client.force_login(resident_with_login(need))

    assert client.get(f"/api/v1/needs/{need.pk}/").status_code == 200
    response = client.post(answer_url(need), {"status": "planned", "response": "Yes."}, content_type="application/json")

    assert response.status_code == 403
    assert_unanswered(need)


# --- The admin: its "Answer" page calls the same service ------------------------------------


def admin_answer_url(need) -> str:
    return reverse("admin:coproduction_need_answer", args=[need.pk])


def test_the_admin_answers_a_need_through_the_service(client, need):
    administrator = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)

    response = client.post(admin_answer_url(need), {"status": "declined", "response": "No room this year."})

    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.responded_by) == (NeedStatus.DECLINED, administrator)


def test_the_admin_shows_the_service_s_refusal_on_the_form(client, need):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    response = client.post(admin_answer_url(need), {"status": "merged", "response": ""})

    assert response.status_code == 200 and "project" in response.context["form"].errors
    assert_unanswered(need)
