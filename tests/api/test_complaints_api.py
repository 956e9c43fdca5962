"""/complaints/: residents file, the organisation answers, the resident confirms or reopens; identities masked."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import Complaint, ComplaintStatus
from audit.models import AuditAction, AuditEntry
from coproduction.models import ParticipationRole, Stage
from partners.models import mask_phone
from tests.factories import (
    ComplaintFactory,
    DutyFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def lead(project):
    """The organisation that answers for the project as a whole."""
    return ParticipationFactory(project=project, role=ParticipationRole.LEAD)


@pytest.fixture
def lead_staff(lead):
    return MembershipFactory(organisation=lead.organisation).user


@pytest.fixture
def complaint(project, resident, lead):
    return ComplaintFactory(project=project, resident=resident, routed_to=lead.organisation)


@pytest.fixture
def answered(complaint):
    complaint.status, complaint.response, complaint.responded_at = ComplaintStatus.ANSWERED, "Fixed.", timezone.now()
    complaint.save()
    return complaint


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def audit_of(instance, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk), action=action
    )


def filed(project, **overrides):
    return {"project": project.pk, "subject": "Cold meals", "body": "The meals arrived cold all week.", **overrides}


# --- Reading ---------------------------------------------------------------------------------


def test_an_official_lists_the_complaints_of_their_community_with_who_filed_them(
    client_for, official, complaint, resident
):
    ComplaintFactory()
    response = client_for(official).get("/api/v1/complaints/")
    assert ids(response) == {complaint.pk}
    row = response.data["results"][0]
    assert (row["resident"], row["resident_name"], row["resident_phone"]) == (
        resident.pk,
        resident.name,
        resident.phone,
    )


def test_the_organisation_that_must_answer_sees_the_complainant_masked(client_for, lead_staff, complaint, resident):
    row = client_for(lead_staff).get(f"/api/v1/complaints/{complaint.pk}/").data
    assert row["resident"] is None
    assert row["resident_name"] == resident.name[0] + "*" * (len(resident.name) - 1)
    assert row["resident_phone"] == mask_phone(resident.phone) != resident.phone
    assert row["body"] == complaint.body


def test_a_resident_sees_only_their_own_complaints(client_for, resident, complaint, project, lead):
    ComplaintFactory(project=project, routed_to=lead.organisation)
    response = client_for(resident.user).get("/api/v1/complaints/")
    assert ids(response) == {complaint.pk}
    assert response.data["results"][0]["resident_phone"] == resident.phone


def test_staff_of_an_organisation_the_complaint_is_not_routed_to_do_not_see_it(client_for, complaint, project):
    bystander = MembershipFactory(organisation=ParticipationFactory(project=project).organisation).user
    assert ids(client_for(bystander).get("/api/v1/complaints/")) == set()
    assert client_for(bystander).get(f"/api/v1/complaints/{complaint.pk}/").status_code == 404


def test_another_communitys_complaint_is_a_404(client_for, official):
    assert client_for(official).get(f"/api/v1/complaints/{ComplaintFactory().pk}/").status_code == 404


def test_an_administrator_sees_every_complaint_unmasked(client_for, administrator, complaint):
    other = ComplaintFactory()
    assert ids(client_for(administrator).get("/api/v1/complaints/")) == {complaint.pk, other.pk}
    row = client_for(administrator).get(f"/api/v1/complaints/{other.pk}/").data
    assert row["resident_phone"] == other.resident.phone


def test_an_anonymous_caller_is_a_401(client_for, complaint):
    assert client_for().get("/api/v1/complaints/").status_code == 401


def test_complaints_are_filtered_by_status_routed_to_and_filing_date(client_for, official, complaint, project, lead):
    ComplaintFactory(
        project=project,
        routed_to=lead.organisation,
        status=ComplaintStatus.REOPENED,
        response="Sorry.",
        responded_at=timezone.now(),
    )
    ComplaintFactory(project=project)
    old = timezone.now() - timedelta(days=40)
    ComplaintFactory(project=project, routed_to=lead.organisation, filed_at=old)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    url = f"/api/v1/complaints/?status=open&routed_to={lead.organisation_id}&filed_at_after={since}"
    assert ids(client_for(official).get(url)) == {complaint.pk}


# --- Filing ----------------------------------------------------------------------------------


def test_a_resident_files_a_complaint_routed_to_the_projects_lead(client_for, resident, project, lead, lead_staff):
    response = client_for(resident.user).post("/api/v1/complaints/", filed(project), format="json")
    assert response.status_code == 201
    complaint = Complaint.objects.get(project=project)
    assert response.data["id"] == complaint.pk and response.data["routed_to"] == lead.organisation_id
    assert (complaint.resident, complaint.status, complaint.subject) == (resident, ComplaintStatus.OPEN, "Cold meals")
    assert complaint.response_due_at == complaint.filed_at + timedelta(hours=72)
    assert audit_of(complaint, AuditAction.CREATE).get().actor == resident.user


def test_a_complaint_about_a_duty_goes_to_its_accountable_organisation(client_for, resident, project, lead):
    duty = DutyFactory(project=project)
    MembershipFactory(organisation=duty.accountable.organisation)
    response = client_for(resident.user).post("/api/v1/complaints/", filed(project, duty=duty.pk), format="json")
    assert response.status_code == 201
    assert Complaint.objects.get().routed_to == duty.accountable.organisation


def test_a_complaint_without_a_subject_is_a_400_on_its_field(client_for, resident, project, lead):
    response = client_for(resident.user).post("/api/v1/complaints/", filed(project, subject=" "), format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"subject": ["Give the complaint a subject."]}
    assert not Complaint.objects.exists()


def test_a_complaint_missing_its_body_is_a_400(client_for, resident, project, lead):
    response = client_for(resident.user).post(
        "/api/v1/complaints/", {"project": project.pk, "subject": "Cold"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["body"]
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_project_not_running_is_a_400(client_for, resident, community):
    designing = ProjectFactory(community=community, stage=Stage.DESIGN)
    response = client_for(resident.user).post("/api/v1/complaints/", filed(designing), format="json")
    assert response.status_code == 400
    assert response.data["code"] == "project_not_running"
    assert not Complaint.objects.exists()


def test_only_residents_may_file_complaints(client_for, official, project, lead):
    response = client_for(official).post("/api/v1/complaints/", filed(project), format="json")
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_a_complaint_about_another_communitys_project_is_a_404(client_for, resident):
    elsewhere = ParticipationFactory(role=ParticipationRole.LEAD).project
    response = client_for(resident.user).post("/api/v1/complaints/", filed(elsewhere), format="json")
    assert response.status_code == 404
    assert not Complaint.objects.exists()


# --- Answering -------------------------------------------------------------------------------


def test_the_organisation_it_was_routed_to_answers(client_for, lead_staff, complaint):
    body = {"response": "New thermal boxes from Monday."}
    response = client_for(lead_staff).post(f"/api/v1/complaints/{complaint.pk}/answer/", body, format="json")
    assert response.status_code == 200
    assert response.data["status"] == ComplaintStatus.ANSWERED
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.response, stored.responded_by, stored.status) == (body["response"], lead_staff, "answered")
    assert audit_of(complaint, AuditAction.CHANGE).get().actor == lead_staff


def test_an_official_may_answer_too(client_for, official, complaint):
    response = client_for(official).post(f"/api/v1/complaints/{complaint.pk}/answer/", {"response": "Noted."})
    assert response.status_code == 200
    assert Complaint.objects.get(pk=complaint.pk).responded_by == official


def test_a_blank_answer_is_a_400_and_the_complaint_stays_open(client_for, lead_staff, complaint):
    response = client_for(lead_staff).post(f"/api/v1/complaints/{complaint.pk}/answer/", {"response": ""})
    assert response.status_code == 400
    assert response.data["errors"] == {"response": ["Write a response."]}
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.OPEN


def test_answering_an_answered_complaint_is_a_400(client_for, lead_staff, answered):
    response = client_for(lead_staff).post(f"/api/v1/complaints/{answered.pk}/answer/", {"response": "Again."})
    assert response.status_code == 400
    assert response.data["code"] == "not_awaiting_response"
    assert Complaint.objects.get(pk=answered.pk).response == "Fixed."


def test_the_resident_may_not_answer_their_own_complaint(client_for, resident, complaint):
    response = client_for(resident.user).post(f"/api/v1/complaints/{complaint.pk}/answer/", {"response": "Fine."})
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.OPEN


def test_answering_another_communitys_complaint_is_a_404(client_for, official):
    other = ComplaintFactory()
    response = client_for(official).post(f"/api/v1/complaints/{other.pk}/answer/", {"response": "Noted."})
    assert response.status_code == 404
    assert Complaint.objects.get(pk=other.pk).status == ComplaintStatus.OPEN


# --- Confirming and reopening ----------------------------------------------------------------


def test_the_resident_confirms_the_answer_and_the_complaint_closes(client_for, resident, answered):
    response = client_for(resident.user).post(f"/api/v1/complaints/{answered.pk}/confirm/")
    assert response.status_code == 200
    stored = Complaint.objects.get(pk=answered.pk)
    assert stored.status == ComplaintStatus.CONFIRMED and stored.closed_at is not None
    assert audit_of(answered, AuditAction.CHANGE).get().actor == resident.user


def test_confirming_an_unanswered_complaint_is_a_400(client_for, resident, complaint):
    response = client_for(resident.user).post(f"/api/v1/complaints/{complaint.pk}/confirm/")
    assert response.status_code == 400
    assert response.data["code"] == "not_answered"
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.OPEN


def test_an_official_may_not_confirm_for_the_resident(client_for, official, answered):
    assert client_for(official).post(f"/api/v1/complaints/{answered.pk}/confirm/").status_code == 403
    assert Complaint.objects.get(pk=answered.pk).status == ComplaintStatus.ANSWERED


def test_a_neighbour_cannot_see_let_alone_confirm_the_complaint(client_for, answered, community):
    neighbour = ResidentFactory(community=community, user=UserFactory())
    assert client_for(neighbour.user).post(f"/api/v1/complaints/{answered.pk}/confirm/").status_code == 404
    assert Complaint.objects.get(pk=answered.pk).status == ComplaintStatus.ANSWERED


def test_the_resident_reopens_an_unsatisfying_answer_with_a_new_deadline(client_for, resident, answered):
    before = Complaint.objects.get(pk=answered.pk).response_due_at
    response = client_for(resident.user).post(
        f"/api/v1/complaints/{answered.pk}/reopen/", {"reason": "Still cold."}, format="json"
    )
    assert response.status_code == 200
    stored = Complaint.objects.get(pk=answered.pk)
    assert stored.status == ComplaintStatus.REOPENED and stored.response_due_at > before
    assert audit_of(answered, AuditAction.CHANGE).get().note == "Still cold."


def test_reopening_without_a_reason_is_a_400(client_for, resident, answered):
    response = client_for(resident.user).post(f"/api/v1/complaints/{answered.pk}/reopen/", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.data["errors"]
    assert Complaint.objects.get(pk=answered.pk).status == ComplaintStatus.ANSWERED


def test_staff_may_not_reopen_a_complaint(client_for, lead_staff, answered):
    response = client_for(lead_staff).post(f"/api/v1/complaints/{answered.pk}/reopen/", {"reason": "Hm."})
    assert response.status_code == 403
    assert Complaint.objects.get(pk=answered.pk).status == ComplaintStatus.ANSWERED


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("caller", ["official", "lead_staff"])
def test_the_list_keeps_its_query_count_from_5_to_50_rows(
    caller, request, client_for, project, lead, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(caller))
    for _ in range(5):
        ComplaintFactory(project=project, routed_to=lead.organisation)
    at_five = queries_for(client, "/api/v1/complaints/")
    for _ in range(45):
        ComplaintFactory(project=project, routed_to=lead.organisation)
    with django_assert_num_queries(at_five):
        response = client.get("/api/v1/complaints/")
    assert response.data["count"] == 50
