"""Complaints reach a party someone answers for; officials re-route them, extend their deadline once, close them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accountability.models import Breach, BreachKind, Complaint, ComplaintStatus
from accountability.services.breach_detection import recompute_accountability
from accountability.services.complaints import (
    complaint_answer,
    complaint_close,
    complaint_confirm,
    complaint_extend,
    complaint_file,
    complaint_reroute,
)
from audit.models import AuditAction
from coproduction.models import ParticipationRole
from partners.models import Membership
from tests.factories import (
    DutyFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


def file(project, resident, **overrides):
    values = {"subject": "Cold meals", "body": "The meals arrived cold three days running.", **overrides}
    return complaint_file(project=project, resident=resident, **values)


@pytest.fixture
def committee(project):
    """The residents' committee leads the project; it has no accounts of its own, its officials act for it."""
    residents_committee = OrganisationFactory(government=True, name="Residents' committee")
    return ParticipationFactory(project=project, role=ParticipationRole.LEAD, organisation=residents_committee)


@pytest.fixture
def staffed_provider(project):
    provider = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    MembershipFactory(organisation=provider.organisation)
    return provider


@pytest.fixture
def complaint(project, committee, staffed_provider, official, resident):
    return file(project, resident)


def refusal_code(caught, field=None):
    if field is None:
        return caught.value.code
    return caught.value.error_dict[field][0].code


# --- routing ---------------------------------------------------------------------------------


def test_a_service_complaint_goes_to_the_provider_rather_than_the_lead(complaint, staffed_provider):
    assert complaint.routed_to == staffed_provider.organisation
    assert not complaint.answered_by_officials


def test_a_provider_nobody_answers_for_is_passed_over_for_the_government_lead(project, committee, official, resident):
    ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)  # no accounts on the platform

    complaint = file(project, resident)

    assert complaint.routed_to == committee.organisation and complaint.answered_by_officials


def test_a_complaint_about_a_government_body_duty_reaches_the_officials_who_answer_it(
    project, committee, staffed_provider, official, resident
):
    duty = DutyFactory(project=project, accountable=committee)

    complaint = file(project, resident, duty=duty)
    answered = complaint_answer(complaint=complaint, user=official, response="The plots are weeded on Saturday.")

    assert complaint.routed_to == committee.organisation and complaint.answered_by_officials
    assert (answered.status, answered.responded_by) == (ComplaintStatus.ANSWERED, official)


def test_a_street_official_answers_for_the_government_body_of_each_community_below(project, committee, resident):
    OfficialPostFactory(community=None, street=project.community.street)

    assert file(project, resident).routed_to == committee.organisation


def test_a_duty_whose_accountable_party_has_nobody_goes_to_the_provider(
    project, committee, staffed_provider, official, resident
):
    silent = ParticipationFactory(project=project, role=ParticipationRole.CO_FUNDER)
    duty = DutyFactory(project=project, accountable=silent)

    assert file(project, resident, duty=duty).routed_to == staffed_provider.organisation


def test_a_government_lead_without_any_official_over_the_community_cannot_be_complained_to(
    project, committee, resident
):
    with pytest.raises(ValidationError) as caught:
        file(project, resident)

    assert refusal_code(caught) == "nobody_to_answer"
    assert not Complaint.objects.exists()


# --- the accountability job ------------------------------------------------------------------


def overdue(complaint):
    Complaint.objects.filter(pk=complaint.pk).update(
        filed_at=complaint.filed_at - timedelta(days=5), response_due_at=complaint.response_due_at - timedelta(days=5)
    )


def test_an_unanswered_complaint_to_a_government_body_is_a_breach_of_that_body(project, committee, official, resident):
    complaint = file(project, resident, duty=DutyFactory(project=project, accountable=committee))
    overdue(complaint)

    recompute_accountability()

    breach = Breach.objects.get(kind=BreachKind.UNANSWERED_COMPLAINT)
    assert (breach.complaint, breach.organisation) == (complaint, committee.organisation)


def test_no_breach_is_opened_against_a_party_that_lost_everyone_who_could_answer(complaint, staffed_provider):
    Membership.objects.filter(organisation=staffed_provider.organisation).delete()
    overdue(complaint)

    recompute_accountability()

    assert not Breach.objects.filter(kind=BreachKind.UNANSWERED_COMPLAINT).exists()


def test_a_closed_complaint_is_no_longer_a_breach_in_waiting(complaint, official):
    complaint_close(complaint=complaint, user=official, note="Settled with the resident in person.")
    overdue(complaint)

    recompute_accountability()

    assert not Breach.objects.filter(kind=BreachKind.UNANSWERED_COMPLAINT).exists()


# --- re-routing ------------------------------------------------------------------------------


def test_an_official_reroutes_a_complaint_to_another_participant_with_a_reason(
    complaint, committee, official, audit_of
):
    due = complaint.response_due_at

    rerouted = complaint_reroute(
        complaint=complaint, user=official, organisation=committee.organisation, reason="The kitchen is ours."
    )

    assert rerouted.routed_to == committee.organisation and rerouted.response_due_at == due
    entry = audit_of(complaint, AuditAction.CHANGE).get()
    assert (entry.actor, entry.note) == (official, "The kitchen is ours.")


def test_rerouting_needs_a_reason(complaint, committee, official):
    with pytest.raises(ValidationError) as caught:
        complaint_reroute(complaint=complaint, user=official, organisation=committee.organisation, reason=" ")

    assert refusal_code(caught, "reason") == "reason_required"
    assert Complaint.objects.get().routed_to != committee.organisation


def test_a_complaint_goes_only_to_a_current_participant(complaint, project, official):
    former = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER, left_on=timezone.localdate())
    MembershipFactory(organisation=former.organisation)
    stranger = MembershipFactory().organisation

    for organisation in (former.organisation, stranger):
        with pytest.raises(ValidationError) as caught:
            complaint_reroute(complaint=complaint, user=official, organisation=organisation, reason="Theirs.")
        assert refusal_code(caught, "organisation") == "not_a_participant"


def test_a_complaint_is_not_rerouted_to_the_party_it_is_with(complaint, staffed_provider, official):
    with pytest.raises(ValidationError) as caught:
        complaint_reroute(complaint=complaint, user=official, organisation=staffed_provider.organisation, reason="x")

    assert refusal_code(caught, "organisation") == "same_party"


def test_a_complaint_is_not_rerouted_to_a_party_nobody_answers_for(complaint, project, official):
    silent = ParticipationFactory(project=project, role=ParticipationRole.CO_FUNDER)

    with pytest.raises(ValidationError) as caught:
        complaint_reroute(complaint=complaint, user=official, organisation=silent.organisation, reason="Theirs.")

    assert refusal_code(caught, "organisation") == "nobody_to_answer"


def test_only_officials_of_the_community_handle_complaints(complaint, committee, staffed_provider, other_official):
    staff = Membership.objects.get(organisation=staffed_provider.organisation).user
    for user in (staff, other_official):
        with pytest.raises(PermissionDenied):
            complaint_reroute(complaint=complaint, user=user, organisation=committee.organisation, reason="Theirs.")
        with pytest.raises(PermissionDenied):
            complaint_extend(complaint=complaint, user=user, reason="More time.")
        with pytest.raises(PermissionDenied):
            complaint_close(complaint=complaint, user=user, note="Done.")


def test_an_answered_complaint_is_not_rerouted_or_extended(complaint, committee, official):
    complaint_answer(complaint=complaint, user=official, response="Fixed.")

    with pytest.raises(ValidationError) as caught:
        complaint_reroute(complaint=complaint, user=official, organisation=committee.organisation, reason="x")
    assert refusal_code(caught) == "not_awaiting_response"
    with pytest.raises(ValidationError) as caught:
        complaint_extend(complaint=complaint, user=official, reason="More time.")
    assert refusal_code(caught) == "not_awaiting_response"


# --- extending the deadline ------------------------------------------------------------------


def test_an_official_extends_the_deadline_once_by_one_response_period(complaint, official, audit_of):
    due = complaint.response_due_at

    extended = complaint_extend(complaint=complaint, user=official, reason="The provider is waiting for a part.")

    assert extended.response_due_at == due + timedelta(hours=72) and extended.deadline_extended_at is not None
    assert audit_of(complaint, AuditAction.CHANGE).get().note == "The provider is waiting for a part."


def test_a_second_extension_is_refused(complaint, official):
    complaint_extend(complaint=complaint, user=official, reason="Waiting for a part.")
    due = Complaint.objects.get().response_due_at

    with pytest.raises(ValidationError) as caught:
        complaint_extend(complaint=complaint, user=official, reason="Still waiting.")

    assert refusal_code(caught) == "already_extended"
    assert "cannot be extended again" in caught.value.messages[0]
    assert Complaint.objects.get().response_due_at == due


def test_an_extension_needs_a_reason(complaint, official):
    with pytest.raises(ValidationError) as caught:
        complaint_extend(complaint=complaint, user=official, reason="")

    assert refusal_code(caught, "reason") == "reason_required"
    assert Complaint.objects.get().deadline_extended_at is None


def test_a_missed_deadline_is_extended_from_now(complaint, official):
    overdue(complaint)
    before = timezone.now()

    extended = complaint_extend(complaint=Complaint.objects.get(), user=official, reason="New contractor.")

    assert extended.response_due_at >= before + timedelta(hours=72)


# --- closing ---------------------------------------------------------------------------------


def test_an_official_closes_a_complaint_with_a_note(complaint, official, audit_of):
    closed = complaint_close(complaint=complaint, user=official, note="Withdrawn by the resident by phone.")

    assert (closed.status, closed.closed_by, closed.closing_note) == (
        ComplaintStatus.CLOSED,
        official,
        "Withdrawn by the resident by phone.",
    )
    assert closed.closed_at is not None
    assert audit_of(complaint, AuditAction.CHANGE).get().note == "Withdrawn by the resident by phone."


def test_an_answered_complaint_may_be_closed_too(complaint, official):
    complaint_answer(complaint=complaint, user=official, response="Fixed.")

    assert complaint_close(complaint=complaint, user=official, note="No reply from the resident.").status == "closed"


def test_closing_needs_a_note(complaint, official):
    with pytest.raises(ValidationError) as caught:
        complaint_close(complaint=complaint, user=official, note="  ")

    assert refusal_code(caught, "note") == "note_required"
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_a_closed_or_confirmed_complaint_cannot_be_closed_again(complaint, official, resident):
    complaint_answer(complaint=complaint, user=official, response="Fixed.")
    complaint_confirm(complaint=complaint, resident=resident)

    with pytest.raises(ValidationError) as caught:
        complaint_close(complaint=complaint, user=official, note="Done.")

    assert refusal_code(caught) == "already_closed"


# --- the API ---------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_reroutes_extends_and_closes(complaint, committee, official):
    url = f"/api/v1/complaints/{complaint.pk}"

    rerouted = api(official).post(
        f"{url}/reroute/", {"organisation": committee.organisation_id, "reason": "Ours."}, format="json"
    )
    extended = api(official).post(f"{url}/extend/", {"reason": "More time."}, format="json")
    closed = api(official).post(f"{url}/close/", {"note": "Settled."}, format="json")

    assert (rerouted.status_code, rerouted.data["routed_to"], rerouted.data["answered_by_officials"]) == (
        200,
        committee.organisation_id,
        True,
    )
    assert extended.status_code == 200 and extended.data["deadline_extended_at"] is not None
    assert (closed.status_code, closed.data["status"], closed.data["closing_note"]) == (200, "closed", "Settled.")


def test_the_api_answers_a_second_extension_with_a_conflict(complaint, official):
    api(official).post(f"/api/v1/complaints/{complaint.pk}/extend/", {"reason": "More time."}, format="json")

    response = api(official).post(f"/api/v1/complaints/{complaint.pk}/extend/", {"reason": "Again."}, format="json")

    assert response.status_code == 409 and response.data["code"] == "already_extended"
    assert "once" in response.data["message"]


def test_the_api_refuses_bad_input_on_its_field(complaint, project, official):
    silent = ParticipationFactory(project=project, role=ParticipationRole.CO_FUNDER)
    url = f"/api/v1/complaints/{complaint.pk}"

    no_note = api(official).post(f"{url}/close/", {"note": ""}, format="json")
    nobody = api(official).post(
        f"{url}/reroute/", {"organisation": silent.organisation_id, "reason": "Theirs."}, format="json"
    )

    assert no_note.status_code == 400 and list(no_note.data["errors"]) == ["note"]
    assert nobody.status_code == 400 and list(nobody.data["errors"]) == ["organisation"]
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_the_api_lets_only_the_community_officials_handle_a_complaint(complaint, staffed_provider, other_official):
    staff = Membership.objects.get(organisation=staffed_provider.organisation).user

    by_staff = api(staff).post(f"/api/v1/complaints/{complaint.pk}/close/", {"note": "Done."}, format="json")
    by_outsider = api(other_official).post(
        f"/api/v1/complaints/{complaint.pk}/close/", {"note": "Done."}, format="json"
    )

    assert (by_staff.status_code, by_outsider.status_code) == (403, 404)
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_a_rerouted_complaint_left_unanswered_is_a_breach_of_the_party_it_went_to(complaint, committee, official):
    complaint_reroute(complaint=complaint, user=official, organisation=committee.organisation, reason="Ours.")
    overdue(complaint)

    recompute_accountability()

    assert Breach.objects.get(kind=BreachKind.UNANSWERED_COMPLAINT).organisation == committee.organisation
