"""Breaches: opened once per miss, naming the accountable organisation; resolved by officials with a sanction."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Breach, BreachKind, BreachStatus, Sanction, Severity
from accountability.services.breaches import breach_open, breach_resolve
from audit.models import AuditAction, AuditEntry
from common.actors import TRUSTED
from coproduction.models import Application, ClaimStatus
from coproduction.services.selection import application_submit
from partners.models import MembershipRole, Organisation, OrganisationStatus
from partners.services.organisations import organisation_set_status
from tests.accountability.conftest import postgresql_only
from tests.factories import (
    CallFactory,
    ClaimFactory,
    ComplaintFactory,
    DutyFactory,
    InspectionFactory,
    MembershipFactory,
    OrganisationFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUE = date(2025, 4, 7)


@pytest.fixture
def duty(project, provider):
    return DutyFactory(project=project, accountable=provider, next_due_on=DUE)


def open_overdue(duty, **overrides):
    values = {"severity": Severity.MEDIUM, "description": "Kitchen not cleaned.", **overrides}
    return breach_open(
        kind=BreachKind.OVERDUE_DUTY,
        project=duty.project,
        organisation=duty.accountable.organisation,
        duty=duty,
        due_on=DUE,
        user=TRUSTED,
        **values,
    )


# --- opening ---------------------------------------------------------------------------------


def test_a_missed_duty_opens_a_breach_naming_the_accountable_organisation(duty, provider, audit_of):
    breach = open_overdue(duty)

    stored = Breach.objects.get()
    assert stored == breach
    assert (stored.kind, stored.organisation, stored.duty, stored.due_on, stored.status) == (
        BreachKind.OVERDUE_DUTY,
        provider.organisation,
        duty,
        DUE,
        BreachStatus.OPEN,
    )
    entry = audit_of(stored, AuditAction.CREATE).get()
    assert entry.actor is None and entry.note == BreachKind.OVERDUE_DUTY


def test_the_same_miss_detected_twice_is_recorded_once(duty, audit_of):
    first = open_overdue(duty)

    second = open_overdue(duty, severity=Severity.HIGH)

    assert second == first and Breach.objects.count() == 1
    assert Breach.objects.get().severity == Severity.MEDIUM
    assert audit_of(first).count() == 1


def test_a_resolved_breach_is_returned_and_never_reopened(duty, official):
    breach_resolve(breach=open_overdue(duty), user=official, resolution="Cleaned late.", sanction=Sanction.NONE)

    again = open_overdue(duty)

    assert again.status == BreachStatus.RESOLVED and Breach.objects.count() == 1


def test_the_next_occurrence_of_the_same_duty_is_a_new_breach(duty):
    open_overdue(duty)

    breach_open(
        kind=BreachKind.OVERDUE_DUTY,
        project=duty.project,
        organisation=duty.accountable.organisation,
        severity=Severity.MEDIUM,
        duty=duty,
        due_on=date(2025, 4, 14),
        user=TRUSTED,
    )

    assert Breach.objects.count() == 2


def test_a_missed_report_is_recorded_once_per_organisation_and_period(project, provider):
    for _ in range(2):
        breach_open(
            kind=BreachKind.MISSED_REPORT,
            project=project,
            organisation=provider.organisation,
            severity=Severity.MEDIUM,
            due_on=date(2025, 3, 31),
            user=TRUSTED,
        )

    assert Breach.objects.get().due_on == date(2025, 3, 31)


def test_an_unanswered_complaint_names_the_organisation_it_was_routed_to(project, provider):
    complaint = ComplaintFactory(project=project, routed_to=provider.organisation)

    breach = breach_open(
        kind=BreachKind.UNANSWERED_COMPLAINT,
        project=project,
        organisation=provider.organisation,
        severity=Severity.LOW,
        complaint=complaint,
        user=TRUSTED,
    )

    assert (breach.complaint, breach.organisation) == (complaint, provider.organisation)


def test_a_lapsed_claim_is_a_breach_of_the_organisation_running_the_task(project, provider):
    claim = ClaimFactory(task=TaskFactory(project=project), status=ClaimStatus.LAPSED)

    breach = breach_open(
        kind=BreachKind.LAPSED_CLAIM,
        project=project,
        organisation=provider.organisation,
        severity=Severity.LOW,
        claim=claim,
        user=TRUSTED,
    )

    assert Breach.objects.get(claim=claim) == breach


def test_a_breach_must_name_its_source(project, provider):
    with pytest.raises(ValidationError) as caught:
        breach_open(
            kind=BreachKind.OVERDUE_DUTY,
            project=project,
            organisation=provider.organisation,
            severity=Severity.MEDIUM,
            user=TRUSTED,
        )

    assert caught.value.error_dict["duty"][0].code == "source_required"
    assert "due_on" in caught.value.message_dict
    assert not Breach.objects.exists() and not AuditEntry.objects.exists()


def test_the_source_must_belong_to_the_breach_project(project, provider):
    elsewhere = InspectionFactory()

    with pytest.raises(ValidationError) as caught:
        breach_open(
            kind=BreachKind.FAILED_INSPECTION,
            project=project,
            organisation=provider.organisation,
            severity=Severity.HIGH,
            inspection=elsewhere,
            user=TRUSTED,
        )

    assert caught.value.error_dict["inspection"][0].code == "source_elsewhere"
    assert not Breach.objects.exists()


def test_the_accountable_organisation_must_take_part_in_the_project(duty):
    with pytest.raises(ValidationError) as caught:
        breach_open(
            kind=BreachKind.OVERDUE_DUTY,
            project=duty.project,
            organisation=OrganisationFactory(),
            duty=duty,
            due_on=DUE,
            severity=Severity.MEDIUM,
            user=TRUSTED,
        )

    assert "organisation" in caught.value.message_dict
    assert not Breach.objects.exists()


@pytest.mark.parametrize(
    "kind, severity, field",
    [
        ("late", Severity.LOW, "kind"),
        (BreachKind.OVERDUE_DUTY, "dire", "severity"),
    ],
)
def test_an_unknown_kind_or_severity_is_refused(duty, kind, severity, field):
    with pytest.raises(ValidationError) as caught:
        breach_open(
            kind=kind,
            project=duty.project,
            organisation=duty.accountable.organisation,
            duty=duty,
            due_on=DUE,
            severity=severity,
            user=TRUSTED,
        )

    assert field in caught.value.message_dict
    assert not Breach.objects.exists()


# --- resolving and sanctions -----------------------------------------------------------------


@pytest.fixture
def breach(duty):
    return open_overdue(duty)


def test_an_official_resolves_a_breach_with_a_warning(breach, official, provider, audit_of):
    resolved = breach_resolve(
        breach=breach, user=official, resolution=" Warned in writing. ", sanction=Sanction.WARNING
    )

    stored = Breach.objects.get()
    assert stored.status == resolved.status == BreachStatus.RESOLVED
    assert (stored.resolved_by, stored.sanction) == (official, Sanction.WARNING)
    assert stored.resolution == "Warned in writing."
    assert stored.resolved_at is not None
    entry = audit_of(stored, AuditAction.CHANGE).get()
    assert (entry.before["status"], entry.after["status"], entry.actor) == ("open", "resolved", official)
    assert Organisation.objects.get(pk=provider.organisation_id).status == OrganisationStatus.APPROVED


@pytest.mark.parametrize(
    "sanction, status",
    [
        (Sanction.SUSPENSION, OrganisationStatus.SUSPENDED),
        (Sanction.BLACKLIST, OrganisationStatus.BLACKLISTED),
    ],
)
def test_suspension_and_blacklisting_bar_the_organisation_from_calls(
    breach, official, provider, sanction, status, audit_of
):
    breach_resolve(breach=breach, user=official, resolution="Third missed cleaning.", sanction=sanction)

    organisation = Organisation.objects.get(pk=provider.organisation_id)
    assert organisation.status == status and not organisation.may_take_part
    entry = audit_of(organisation, AuditAction.CHANGE).get()
    assert (entry.before["status"], entry.after["status"]) == ("approved", status)
    assert "Third missed cleaning." in entry.note


def test_a_suspended_organisation_cannot_apply_to_a_call(breach, official, provider):
    breach_resolve(breach=breach, user=official, resolution="Repeated misses.", sanction=Sanction.SUSPENSION)
    manager = MembershipFactory(organisation=provider.organisation, role=MembershipRole.MANAGER).user
    call = CallFactory()

    with pytest.raises(ValidationError) as caught:
        application_submit(
            call=call,
            organisation=provider.organisation,
            user=manager,
            proposal="We will do better.",
            proposed_budget=Decimal("50000"),
        )

    assert caught.value.error_dict["organisation"][0].code == "suspended"
    assert not Application.objects.exists()


def test_a_suspension_does_not_soften_a_blacklisting(breach, official, provider, audit_of):
    Organisation.objects.filter(pk=provider.organisation_id).update(status=OrganisationStatus.BLACKLISTED)

    breach_resolve(breach=breach, user=official, resolution="Another miss.", sanction=Sanction.SUSPENSION)

    assert Organisation.objects.get(pk=provider.organisation_id).status == OrganisationStatus.BLACKLISTED
    assert not audit_of(provider.organisation).exists()


def test_resolving_needs_a_resolution(breach, official):
    with pytest.raises(ValidationError) as caught:
        breach_resolve(breach=breach, user=official, resolution=" ", sanction=Sanction.BLACKLIST)

    assert caught.value.error_dict["resolution"][0].code == "resolution_required"
    assert Breach.objects.get().status == BreachStatus.OPEN
    assert Organisation.objects.get(pk=breach.organisation_id).status == OrganisationStatus.APPROVED


def test_an_unknown_sanction_is_refused(breach, official):
    with pytest.raises(ValidationError) as caught:
        breach_resolve(breach=breach, user=official, resolution="Fined.", sanction="fine")

    assert "sanction" in caught.value.message_dict
    assert Breach.objects.get().status == BreachStatus.OPEN


def test_a_resolved_breach_cannot_be_resolved_again(breach, official):
    breach_resolve(breach=breach, user=official, resolution="Warned.", sanction=Sanction.WARNING)

    with pytest.raises(ValidationError) as caught:
        breach_resolve(breach=breach, user=official, resolution="Blacklisted.", sanction=Sanction.BLACKLIST)

    assert caught.value.code == "already_resolved"
    stored = Breach.objects.get()
    assert stored.sanction == Sanction.WARNING
    assert Organisation.objects.get(pk=stored.organisation_id).status == OrganisationStatus.APPROVED


@pytest.mark.parametrize("who", ["other official", "staff"])
def test_only_an_official_of_the_community_resolves_a_breach(breach, who, other_official, provider, staff_of):
    user = other_official if who == "other official" else staff_of(provider)

    with pytest.raises(PermissionDenied):
        breach_resolve(breach=breach, user=user, resolution="Forgiven.", sanction=Sanction.NONE)

    assert Breach.objects.get().status == BreachStatus.OPEN


# --- the organisation's status ---------------------------------------------------------------


def test_an_official_suspends_an_organisation_with_a_reason(official, audit_of):
    organisation = OrganisationFactory()

    changed = organisation_set_status(
        organisation=organisation,
        status=OrganisationStatus.SUSPENDED,
        user=official,
        reason="Food-safety licence expired.",
    )

    assert Organisation.objects.get(pk=organisation.pk).status == changed.status == OrganisationStatus.SUSPENDED
    assert audit_of(organisation, AuditAction.CHANGE).get().note == "Food-safety licence expired."


def test_only_officials_change_an_organisation_status(staff_of):
    organisation = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        organisation_set_status(
            organisation=organisation,
            status=OrganisationStatus.APPROVED,
            user=staff_of(organisation),
            reason="We are good.",
        )

    assert Organisation.objects.get(pk=organisation.pk).status == OrganisationStatus.APPROVED
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "status, reason, field",
    [
        ("closed", "Gone.", "status"),
        (OrganisationStatus.SUSPENDED, " ", "reason"),
        (OrganisationStatus.APPROVED, "Still fine.", "status"),
    ],
)
def test_an_invalid_unexplained_or_unchanged_status_is_refused(official, status, reason, field):
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as caught:
        organisation_set_status(organisation=organisation, status=status, user=official, reason=reason)

    assert field in caught.value.message_dict
    assert Organisation.objects.get(pk=organisation.pk).status == OrganisationStatus.APPROVED


def test_a_user_without_a_post_cannot_change_a_status():
    with pytest.raises(PermissionDenied):
        organisation_set_status(
            organisation=OrganisationFactory(),
            status=OrganisationStatus.BLACKLISTED,
            user=UserFactory(),
            reason="Spite.",
        )


# --- concurrency -----------------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_detections_of_one_miss_record_one_breach(duty, race):
    outcomes = race(lambda number: open_overdue(duty))

    assert Breach.objects.count() == 1
    assert {outcome.pk for outcome in outcomes} == {Breach.objects.get().pk}


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_resolutions_apply_one_sanction(breach, official, race):
    sanctions = [Sanction.WARNING, Sanction.SUSPENSION, Sanction.BLACKLIST, Sanction.NONE]

    outcomes = race(
        lambda number: breach_resolve(breach=breach, user=official, resolution="Decided.", sanction=sanctions[number])
    )

    resolved = [outcome for outcome in outcomes if isinstance(outcome, Breach)]
    assert len(resolved) == 1 and sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 3
    assert Breach.objects.get().sanction == resolved[0].sanction
