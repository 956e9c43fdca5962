"""Complaints: filed by residents, routed to a party someone answers for, answered in time, confirmed or reopened."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import Complaint, ComplaintStatus
from accountability.services.complaints import complaint_answer, complaint_confirm, complaint_file, complaint_reopen
from audit.models import AuditAction, AuditEntry
from coproduction.models import ParticipationRole, Stage
from tests.factories import (
    ComplaintFactory,
    DutyFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db


def file(project, resident, **overrides):
    values = {"subject": "Cold meals", "body": "The meals arrived cold three days running.", **overrides}
    return complaint_file(project=project, resident=resident, **values)


@pytest.fixture
def complaint(project, lead, official, resident):
    return file(project, resident)


@pytest.fixture
def answered(complaint, official):
    return complaint_answer(complaint=complaint, user=official, response="The hot box is repaired.")


# --- filing ----------------------------------------------------------------------------------


def test_a_resident_files_a_complaint_routed_to_the_project_provider_with_a_72_hour_deadline(
    project, lead, provider, staff_of, official, resident, audit_of
):
    staff_of(provider)

    complaint = file(project, resident)

    assert (complaint.routed_to, complaint.status) == (provider.organisation, ComplaintStatus.OPEN)
    assert complaint.response_due_at - complaint.filed_at == timedelta(hours=72)
    assert Complaint.objects.get() == complaint
    assert audit_of(complaint, AuditAction.CREATE).get().actor == resident.user


def test_a_complaint_about_a_duty_goes_to_the_duty_accountable_party(project, lead, provider, staff_of, resident):
    duty = DutyFactory(project=project, accountable=provider)
    staff_of(provider)

    complaint = file(project, resident, duty=duty)

    assert (complaint.duty, complaint.routed_to) == (duty, provider.organisation)


def test_without_a_lead_the_first_provider_answers(project, staff_of, resident):
    first = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    second = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    staff_of(first), staff_of(second)

    assert file(project, resident).routed_to == first.organisation


def test_a_lead_that_left_the_project_is_passed_over(project, lead, official, resident):
    lead.left_on = lead.joined_on
    lead.save()
    remaining = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    MembershipFactory(organisation=remaining.organisation)

    assert file(project, resident).routed_to == remaining.organisation


def test_a_complaint_with_nobody_to_answer_it_is_refused(project, resident):
    ParticipationFactory(project=project, role=ParticipationRole.CO_FUNDER)

    with pytest.raises(ValidationError) as caught:
        file(project, resident)

    assert caught.value.code == "nobody_to_answer"
    assert not Complaint.objects.exists() and not AuditEntry.objects.exists()


def test_the_response_deadline_is_configurable(settings, project, lead, official, resident):
    settings.COMPLAINT_RESPONSE_HOURS = 24

    complaint = file(project, resident)

    assert complaint.response_due_at - complaint.filed_at == timedelta(hours=24)


def test_a_resident_of_another_community_cannot_complain_about_the_project(project, lead):
    outsider = ResidentFactory()

    with pytest.raises(ValidationError) as caught:
        file(project, outsider)

    assert caught.value.code == "other_community"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("stage", [Stage.DESIGN, Stage.CLOSED])
def test_complaints_are_filed_only_while_the_service_runs(stage, resident):
    project = ProjectFactory(community=resident.community, stage=stage)
    ParticipationFactory(project=project, role=ParticipationRole.LEAD)

    with pytest.raises(ValidationError) as caught:
        file(project, resident)

    assert caught.value.code == "project_not_running"
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_project_in_evaluation_is_accepted(resident):
    project = ProjectFactory(community=resident.community, stage=Stage.EVALUATION)
    lead = ParticipationFactory(project=project, role=ParticipationRole.LEAD)
    MembershipFactory(organisation=lead.organisation)

    assert file(project, resident).project == project


def test_a_duty_of_another_project_is_refused(project, lead, resident):
    with pytest.raises(ValidationError) as caught:
        file(project, resident, duty=DutyFactory())

    assert caught.value.error_dict["duty"][0].code == "duty_not_in_project"
    assert not Complaint.objects.exists()


def test_a_complaint_needs_a_subject_and_a_body(project, lead, resident):
    with pytest.raises(ValidationError) as caught:
        file(project, resident, subject="  ", body="")

    assert set(caught.value.message_dict) == {"subject", "body"}
    assert not Complaint.objects.exists()


def test_an_overlong_subject_is_refused_with_a_field_error(project, lead, resident):
    with pytest.raises(ValidationError) as caught:
        file(project, resident, subject="x" * 201)

    assert caught.value.error_dict["subject"][0].code == "subject_too_long"


# --- answering -------------------------------------------------------------------------------


def test_staff_of_the_routed_organisation_answer_the_complaint(complaint, lead, staff_of, audit_of):
    staff = staff_of(lead)

    answered = complaint_answer(complaint=complaint, user=staff, response="  We have fixed the hot box.  ")

    stored = Complaint.objects.get()
    assert stored.status == answered.status == ComplaintStatus.ANSWERED
    assert (stored.response, stored.responded_by) == ("We have fixed the hot box.", staff)
    assert stored.responded_at is not None
    entry = audit_of(complaint, AuditAction.CHANGE).get()
    assert (entry.actor, entry.before["status"], entry.after["status"]) == (staff, "open", "answered")


def test_an_official_of_the_community_may_answer(complaint, official):
    assert complaint_answer(complaint=complaint, user=official, response="Noted.").status == ComplaintStatus.ANSWERED


@pytest.mark.parametrize("who", ["other staff", "other official", "resident"])
def test_only_the_routed_organisation_or_an_official_may_answer(complaint, who, provider, staff_of, other_official):
    user = {
        "other staff": lambda: staff_of(provider),
        "other official": lambda: other_official,
        "resident": lambda: complaint.resident.user,
    }[who]()

    with pytest.raises(PermissionDenied):
        complaint_answer(complaint=complaint, user=user, response="Not ours to say.")

    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_an_empty_response_is_refused(complaint, official):
    with pytest.raises(ValidationError) as caught:
        complaint_answer(complaint=complaint, user=official, response=" ")

    assert "response" in caught.value.message_dict
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_an_answered_complaint_cannot_be_answered_again(answered, official):
    with pytest.raises(ValidationError) as caught:
        complaint_answer(complaint=answered, user=official, response="Again.")

    assert caught.value.code == "not_awaiting_response"
    assert Complaint.objects.get().response == "The hot box is repaired."


# --- confirming and reopening ----------------------------------------------------------------


def test_the_resident_confirms_an_answered_complaint(answered, resident, audit_of):
    confirmed = complaint_confirm(complaint=answered, resident=resident)

    stored = Complaint.objects.get()
    assert stored.status == confirmed.status == ComplaintStatus.CONFIRMED and stored.closed_at is not None
    assert audit_of(stored, AuditAction.CHANGE).last().actor == resident.user


def test_another_resident_cannot_confirm_the_complaint(answered, neighbour):
    with pytest.raises(PermissionDenied):
        complaint_confirm(complaint=answered, resident=neighbour)

    assert Complaint.objects.get().status == ComplaintStatus.ANSWERED


def test_an_unanswered_complaint_cannot_be_confirmed(complaint, resident):
    with pytest.raises(ValidationError) as caught:
        complaint_confirm(complaint=complaint, resident=resident)

    assert caught.value.code == "not_answered"
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_the_resident_reopens_an_answer_that_does_not_settle_it_with_a_new_deadline(answered, resident, audit_of):
    first_deadline = answered.response_due_at

    reopened = complaint_reopen(complaint=answered, resident=resident, reason="Still cold today.")

    stored = Complaint.objects.get()
    assert stored.status == reopened.status == ComplaintStatus.REOPENED
    assert stored.response_due_at > first_deadline
    assert abs(stored.response_due_at - (timezone.now() + timedelta(hours=72))) < timedelta(minutes=1)
    assert audit_of(stored, AuditAction.CHANGE).last().note == "Still cold today."


def test_a_reopened_complaint_must_be_answered_again(answered, resident, lead, staff_of):
    reopened = complaint_reopen(complaint=answered, resident=resident, reason="Still cold today.")

    complaint_answer(complaint=reopened, user=staff_of(lead), response="New hot boxes bought.")

    stored = Complaint.objects.get()
    assert (stored.status, stored.response) == (ComplaintStatus.ANSWERED, "New hot boxes bought.")


def test_reopening_needs_a_reason(answered, resident):
    with pytest.raises(ValidationError) as caught:
        complaint_reopen(complaint=answered, resident=resident, reason="")

    assert "reason" in caught.value.message_dict
    assert Complaint.objects.get().status == ComplaintStatus.ANSWERED


def test_a_confirmed_complaint_cannot_be_reopened(answered, resident):
    complaint_confirm(complaint=answered, resident=resident)

    with pytest.raises(ValidationError):
        complaint_reopen(complaint=answered, resident=resident, reason="Changed my mind.")

    assert Complaint.objects.get().status == ComplaintStatus.CONFIRMED


def test_another_resident_cannot_reopen_the_complaint(answered, neighbour):
    with pytest.raises(PermissionDenied):
        complaint_reopen(complaint=answered, resident=neighbour, reason="Me too.")

    assert Complaint.objects.get().status == ComplaintStatus.ANSWERED


def test_a_complaint_routed_elsewhere_by_hand_is_answered_by_that_organisation(staff_of):
    organisation = OrganisationFactory()
    complaint = ComplaintFactory(routed_to=organisation)

    answered = complaint_answer(complaint=complaint, user=staff_of(organisation), response="Handled.")

    assert answered.responded_by.memberships.get().organisation == organisation
