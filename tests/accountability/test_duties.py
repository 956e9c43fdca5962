"""Duties: one Accountable party and a RACI matrix of current participants; evidenced completions; the guard."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.guards import duties_have_a_current_accountable_party
from accountability.models import Duty, DutyAssignment, DutyCompletion, DutyStatus, RaciRole, Recurrence
from accountability.services.duties import (
    add_months,
    duty_assign,
    duty_complete,
    duty_create,
    duty_set_accountable,
    duty_unassign,
)
from audit.models import AuditAction, AuditEntry
from coproduction.models import ProjectTransition, Stage
from coproduction.services.lifecycle import missing_for, project_transition
from tests.accountability.conftest import postgresql_only
from tests.factories import (
    DutyAssignmentFactory,
    DutyCompletionFactory,
    DutyFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUE = date(2025, 4, 7)


def create(project, official, accountable, **overrides):
    values = {"title": "Clean the kitchen", "recurrence": Recurrence.WEEKLY, "next_due_on": DUE, **overrides}
    return duty_create(project=project, accountable=accountable, user=official, **values)


# --- creating a duty -------------------------------------------------------------------------


def test_an_official_creates_a_duty_with_one_accountable_party_and_its_matrix(
    project, official, lead, provider, partner, audit_of
):
    duty = create(project, official, provider, responsible=[provider], consulted=[lead], informed=[partner, lead])

    assert (duty.project, duty.accountable, duty.status) == (project, provider, DutyStatus.ACTIVE)
    assert set(duty.assignments.values_list("participation", "role")) == {
        (provider.pk, "R"),
        (lead.pk, "C"),
        (partner.pk, "I"),
        (lead.pk, "I"),
    }
    assert audit_of(duty, AuditAction.CREATE).get().actor == official
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_repr__startswith="R:").count() == 1


def test_a_street_official_creates_duties_in_every_community_of_the_street(project, provider):
    street_official = OfficialPostFactory(community=None, street=project.community.street).user

    duty = create(project, street_official, provider)

    assert Duty.objects.get() == duty


def test_an_official_of_another_community_cannot_create_a_duty(project, other_official, provider):
    with pytest.raises(PermissionDenied):
        create(project, other_official, provider)

    assert not Duty.objects.exists() and not AuditEntry.objects.exists()


def test_staff_of_a_partner_cannot_create_a_duty(project, provider, staff_of):
    with pytest.raises(PermissionDenied):
        create(project, staff_of(provider), provider)

    assert not Duty.objects.exists()


def test_the_accountable_party_must_take_part_in_the_duty_project(project, official):
    elsewhere = ParticipationFactory()

    with pytest.raises(ValidationError) as caught:
        create(project, official, elsewhere)

    assert "accountable" in caught.value.message_dict
    assert not Duty.objects.exists()


def test_a_party_that_left_the_project_cannot_be_named_responsible(project, official, provider, partner):
    partner.left_on = date(2025, 3, 1)
    partner.save()

    with pytest.raises(ValidationError) as caught:
        create(project, official, provider, responsible=[partner])

    assert list(caught.value.message_dict) == ["responsible"]
    assert not Duty.objects.exists() and not DutyAssignment.objects.exists()


def test_consulted_and_informed_parties_come_from_the_project_too(project, official, provider):
    stranger = ParticipationFactory()

    with pytest.raises(ValidationError) as caught:
        create(project, official, provider, consulted=[stranger], informed=[stranger])

    assert set(caught.value.message_dict) == {"consulted", "informed"}


def test_duty_titles_are_unique_within_a_project_with_a_clear_error(project, official, provider):
    create(project, official, provider)

    with pytest.raises(ValidationError) as caught:
        create(project, official, provider, title="  Clean the kitchen ")

    assert caught.value.message_dict["title"] == ["This project already has a duty with this title."]
    assert caught.value.error_dict["title"][0].code == "duplicate_title"
    assert Duty.objects.count() == 1


def test_the_same_title_may_be_used_in_another_project(project, official, provider):
    create(project, official, provider)
    other = DutyFactory(title="Clean the kitchen")

    assert other.project != project and Duty.objects.count() == 2


def test_a_duty_needs_a_title_a_recurrence_and_a_due_date(project, official, provider):
    with pytest.raises(ValidationError) as caught:
        create(project, official, provider, title=" ", recurrence="daily", next_due_on=None)

    assert set(caught.value.message_dict) == {"title", "recurrence", "next_due_on"}
    assert not Duty.objects.exists()


def test_duties_cannot_be_added_to_a_closed_project(official, provider):
    project = provider.project
    project.stage = Stage.CLOSED
    project.save()

    with pytest.raises(ValidationError) as caught:
        create(project, official, provider)

    assert "project" in caught.value.message_dict
    assert not Duty.objects.exists()


# --- the matrix ------------------------------------------------------------------------------


@pytest.fixture
def duty(project, provider):
    return DutyFactory(project=project, accountable=provider, next_due_on=DUE, recurrence=Recurrence.WEEKLY)


@pytest.mark.parametrize("role", [RaciRole.RESPONSIBLE, RaciRole.CONSULTED, RaciRole.INFORMED])
def test_an_official_assigns_a_participant_a_role_on_a_duty(duty, official, partner, role, audit_of):
    assignment = duty_assign(duty=duty, participation=partner, role=role, user=official)

    assert (assignment.duty, assignment.participation, assignment.role) == (duty, partner, role)
    assert audit_of(assignment, AuditAction.CREATE).get().actor == official


def test_a_second_accountable_party_cannot_be_assigned(duty, official, partner):
    with pytest.raises(ValidationError) as caught:
        duty_assign(duty=duty, participation=partner, role=RaciRole.ACCOUNTABLE, user=official)

    assert caught.value.error_dict["role"][0].code == "accountable_not_assignable"
    assert not DutyAssignment.objects.exists()


def test_a_participant_holds_each_role_on_a_duty_once(duty, official, partner):
    duty_assign(duty=duty, participation=partner, role=RaciRole.CONSULTED, user=official)

    with pytest.raises(ValidationError) as caught:
        duty_assign(duty=duty, participation=partner, role=RaciRole.CONSULTED, user=official)

    assert "participation" in caught.value.message_dict
    assert DutyAssignment.objects.count() == 1


def test_only_participants_of_the_project_are_assigned(duty, official):
    with pytest.raises(ValidationError):
        duty_assign(duty=duty, participation=ParticipationFactory(), role=RaciRole.INFORMED, user=official)

    assert not DutyAssignment.objects.exists()


def test_an_official_of_another_community_cannot_assign_roles(duty, other_official, partner):
    with pytest.raises(PermissionDenied):
        duty_assign(duty=duty, participation=partner, role=RaciRole.INFORMED, user=other_official)

    assert not DutyAssignment.objects.exists()


def test_an_official_takes_a_role_away_and_the_removal_is_audited(duty, official, partner, audit_of):
    assignment = DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.RESPONSIBLE)
    assignment_id = assignment.pk

    duty_unassign(duty=duty, participation=partner, role=RaciRole.RESPONSIBLE, user=official)

    assert not DutyAssignment.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_id=str(assignment_id))
    assert entry.before["participation_id"] == partner.pk and entry.after is None


def test_a_role_the_participant_does_not_hold_cannot_be_taken_away(duty, official, partner):
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.RESPONSIBLE)

    with pytest.raises(ValidationError):
        duty_unassign(duty=duty, participation=partner, role=RaciRole.INFORMED, user=official)

    assert DutyAssignment.objects.count() == 1


def test_changing_the_accountable_party_is_audited_with_before_after_and_reason(
    duty, official, provider, partner, audit_of
):
    reason = "The NGO runs the kitchen now."

    changed = duty_set_accountable(duty=duty, participation=partner, user=official, reason=reason)

    assert Duty.objects.get().accountable == partner == changed.accountable
    entry = audit_of(duty, AuditAction.CHANGE).get()
    assert (entry.before["accountable_id"], entry.after["accountable_id"]) == (provider.pk, partner.pk)
    assert entry.note == reason


def test_changing_the_accountable_party_needs_a_reason(duty, official, provider, partner):
    with pytest.raises(ValidationError) as caught:
        duty_set_accountable(duty=duty, participation=partner, user=official, reason="  ")

    assert "reason" in caught.value.message_dict
    assert Duty.objects.get().accountable == provider


def test_the_new_accountable_party_must_still_take_part(duty, official, provider, partner):
    partner.left_on = date(2025, 3, 1)
    partner.save()

    with pytest.raises(ValidationError) as caught:
        duty_set_accountable(duty=duty, participation=partner, user=official, reason="Handover")

    assert "accountable" in caught.value.message_dict
    assert Duty.objects.get().accountable == provider


def test_naming_the_same_accountable_party_again_is_refused(duty, official, provider):
    with pytest.raises(ValidationError) as caught:
        duty_set_accountable(duty=duty, participation=provider, user=official, reason="No change")

    assert caught.value.error_dict["accountable"][0].code == "unchanged"


def test_only_an_official_changes_the_accountable_party(duty, provider, partner, staff_of):
    with pytest.raises(PermissionDenied):
        duty_set_accountable(duty=duty, participation=partner, user=staff_of(provider), reason="Handover")

    assert Duty.objects.get().accountable == provider


# --- completing an occurrence ----------------------------------------------------------------


def test_staff_of_the_accountable_organisation_completes_a_weekly_duty(duty, provider, staff_of, audit_of):
    staff = staff_of(provider)

    completion = duty_complete(duty=duty, user=staff, evidence="Photos of the kitchen, signed off.")

    assert (completion.due_on, completion.completed_by) == (DUE, staff)
    assert DutyCompletion.objects.get().evidence == "Photos of the kitchen, signed off."
    duty.refresh_from_db()
    assert duty.next_due_on == DUE + timedelta(days=7) and duty.status == DutyStatus.ACTIVE
    assert audit_of(completion, AuditAction.CREATE).exists()
    change = audit_of(duty, AuditAction.CHANGE).get()
    assert (change.before["next_due_on"], change.after["next_due_on"]) == ("2025-04-07", "2025-04-14")


def test_staff_of_a_responsible_organisation_may_complete_the_duty(duty, partner, staff_of):
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.RESPONSIBLE)

    duty_complete(duty=duty, user=staff_of(partner), evidence="Done by our volunteers.")

    assert DutyCompletion.objects.get().duty == duty


def test_an_official_of_the_community_may_complete_the_duty(duty, official):
    duty_complete(duty=duty, user=official, evidence="Checked on site.")

    assert DutyCompletion.objects.filter(duty=duty, due_on=DUE).exists()


def test_staff_of_a_consulted_organisation_may_not_complete_the_duty(duty, partner, staff_of):
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.CONSULTED)

    with pytest.raises(PermissionDenied):
        duty_complete(duty=duty, user=staff_of(partner), evidence="Done.")

    assert not DutyCompletion.objects.exists()


def test_an_official_of_another_community_may_not_complete_the_duty(duty, other_official):
    with pytest.raises(PermissionDenied):
        duty_complete(duty=duty, user=other_official, evidence="Done.")

    assert not DutyCompletion.objects.exists()
    assert Duty.objects.get().next_due_on == DUE


def test_completing_a_duty_needs_evidence(duty, official):
    with pytest.raises(ValidationError) as caught:
        duty_complete(duty=duty, user=official, evidence="   ")

    assert "evidence" in caught.value.message_dict
    assert not DutyCompletion.objects.exists() and Duty.objects.get().next_due_on == DUE


def test_completing_the_same_occurrence_twice_is_refused(duty, official, provider, staff_of):
    duty_complete(duty=duty, user=official, evidence="Done.", due_on=DUE)

    with pytest.raises(ValidationError) as caught:
        duty_complete(duty=duty, user=staff_of(provider), evidence="Done too.", due_on=DUE)

    assert caught.value.message_dict["due_on"] == ["This occurrence of the duty has already been completed."]
    assert DutyCompletion.objects.count() == 1
    assert Duty.objects.get().next_due_on == DUE + timedelta(days=7)


def test_only_the_current_occurrence_can_be_completed(duty, official):
    with pytest.raises(ValidationError) as caught:
        duty_complete(duty=duty, user=official, evidence="Done.", due_on=DUE + timedelta(days=14))

    assert "due_on" in caught.value.message_dict
    assert not DutyCompletion.objects.exists()


def test_a_one_off_duty_is_done_once_completed(project, provider, official):
    duty = DutyFactory(project=project, accountable=provider, recurrence=Recurrence.ONCE, next_due_on=DUE)

    duty_complete(duty=duty, user=official, evidence="Signed agreement filed.")

    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE and duty.next_due_on == DUE


def test_a_done_duty_cannot_be_completed_again(project, provider, official):
    duty = DutyFactory(project=project, accountable=provider, recurrence=Recurrence.ONCE, next_due_on=DUE)
    duty_complete(duty=duty, user=official, evidence="Signed agreement filed.")

    with pytest.raises(ValidationError):
        duty_complete(duty=duty, user=official, evidence="Again.")

    assert DutyCompletion.objects.count() == 1


def test_a_monthly_duty_moves_by_calendar_month_clamping_the_day(project, provider, official):
    duty = DutyFactory(
        project=project, accountable=provider, recurrence=Recurrence.MONTHLY, next_due_on=date(2025, 1, 31)
    )

    duty_complete(duty=duty, user=official, evidence="Monthly accounts posted.")

    assert Duty.objects.get().next_due_on == date(2025, 2, 28)


def test_a_quarterly_duty_moves_three_calendar_months(project, provider, official):
    duty = DutyFactory(
        project=project, accountable=provider, recurrence=Recurrence.QUARTERLY, next_due_on=date(2025, 11, 30)
    )

    duty_complete(duty=duty, user=official, evidence="Quarterly fire drill held.")

    assert Duty.objects.get().next_due_on == date(2026, 2, 28)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
    ],
)
def test_adding_calendar_months_crosses_years_and_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_a_stranger_without_a_role_may_not_complete_a_duty(duty):
    with pytest.raises(PermissionDenied):
        duty_complete(duty=duty, user=UserFactory(), evidence="Done.")

    assert not DutyCompletion.objects.exists()


def test_completions_already_on_file_are_counted_as_the_occurrence(duty, official):
    DutyCompletionFactory(duty=duty, due_on=DUE)

    with pytest.raises(ValidationError):
        duty_complete(duty=duty, user=official, evidence="Done.")

    assert DutyCompletion.objects.count() == 1


# --- the lifecycle guard ---------------------------------------------------------------------


@pytest.fixture
def design_project(provider):
    project = provider.project
    project.stage = Stage.DESIGN
    project.save()
    return project


def test_a_project_whose_duties_have_current_accountable_parties_moves_to_operation(design_project, provider, official):
    DutyFactory(project=design_project, accountable=provider)

    transition = project_transition(project=design_project, to_stage=Stage.OPERATION, user=official, reason="Agreed.")

    assert transition.to_stage == Stage.OPERATION
    assert duties_have_a_current_accountable_party(design_project) == []


def test_a_project_without_duties_passes_the_duty_guard(design_project):
    assert duties_have_a_current_accountable_party(design_project) == []


def test_a_duty_whose_accountable_party_left_blocks_operation_and_is_named(design_project, provider, partner, official):
    DutyFactory(project=design_project, accountable=partner, title="Deliver meals")
    DutyFactory(project=design_project, accountable=provider, title="Clean the kitchen")
    partner.left_on = date(2025, 3, 1)
    partner.save()

    with pytest.raises(ValidationError) as caught:
        project_transition(project=design_project, to_stage=Stage.OPERATION, user=official, reason="Agreed.")

    messages = caught.value.messages
    assert any("Deliver meals" in message and "Clean the kitchen" not in message for message in messages)
    assert not ProjectTransition.objects.exists()
    design_project.refresh_from_db()
    assert design_project.stage == Stage.DESIGN


def test_a_duty_whose_accountable_belongs_to_another_project_is_named(design_project):
    DutyFactory(project=design_project, accountable=ParticipationFactory(), title="Misfiled duty")

    assert "Misfiled duty" in " ".join(missing_for(design_project, Stage.OPERATION))


def test_finished_duties_do_not_block_operation(design_project, partner):
    DutyFactory(project=design_project, accountable=partner, status=DutyStatus.DONE)
    partner.left_on = date(2025, 3, 1)
    partner.save()

    assert duties_have_a_current_accountable_party(design_project) == []


def test_renewal_is_guarded_by_the_duties_too():
    project = ProjectFactory(stage=Stage.EVALUATION)
    DutyFactory(
        project=project,
        accountable=ParticipationFactory(project=project, left_on=date(2025, 6, 1)),
        title="Weekly menu",
    )

    assert "Weekly menu" in " ".join(missing_for(project, Stage.OPERATION))


# --- concurrency -----------------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_of_one_occurrence_record_it_once(project, provider, official, race):
    duty = DutyFactory(project=project, accountable=provider, next_due_on=DUE, recurrence=Recurrence.WEEKLY)

    outcomes = race(lambda number: duty_complete(duty=duty, user=official, evidence=f"Done ({number}).", due_on=DUE))

    assert sum(isinstance(outcome, DutyCompletion) for outcome in outcomes) == 1
    assert all(isinstance(outcome, (DutyCompletion, ValidationError)) for outcome in outcomes)
    assert DutyCompletion.objects.count() == 1
    assert Duty.objects.get().next_due_on == DUE + timedelta(days=7)


# --- the due date's window -------------------------------------------------------------------


@pytest.mark.parametrize("due", [date(1, 1, 1), date(2024, 1, 1), date(2028, 12, 31), date(9999, 12, 31)])
def test_a_duty_falls_due_within_its_project_period_give_or_take_the_margin(project, official, provider, due):
    with pytest.raises(ValidationError) as caught:
        create(project, official, provider, next_due_on=due)

    assert caught.value.error_dict["next_due_on"][0].code == "outside_project_period"
    assert not Duty.objects.exists()


@pytest.mark.parametrize("due", [date(2025, 1, 1), date(2027, 12, 31), date(2024, 1, 2), date(2028, 12, 30)])
def test_a_duty_may_fall_due_from_its_project_start_to_its_end_give_or_take_the_margin(
    project, official, provider, due
):
    assert create(project, official, provider, next_due_on=due).next_due_on == due


def test_a_monthly_duty_due_on_the_calendar_last_day_finishes_instead_of_overflowing(provider, official):
    # Written before due dates were bounded: completing it must not compute a day after 9999-12-31.
    project = provider.project
    project.end_date = None
    project.save(update_fields=["end_date"])
    duty = DutyFactory(
        project=project, accountable=provider, next_due_on=date(9999, 12, 31), recurrence=Recurrence.MONTHLY
    )

    duty_complete(duty=duty, user=official, evidence="Done.")

    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
