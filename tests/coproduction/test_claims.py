"""Residents claim tasks within capacity, release or lapse them, and check in to log volunteer hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.actors import TRUSTED
from coproduction.models import CheckIn, Claim, ClaimStatus, Task, TaskStatus
from coproduction.services.claims import (
    TaskFull,
    checkin_record,
    claim_create,
    claim_lapse,
    claim_release,
    volunteer_hours,
)
from tests.asserts import database_refuses
from tests.factories import ClaimFactory, ResidentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def neighbour(task):
    """A resident of the task's community."""
    return ResidentFactory(community=task.project.community)


def active_claims(task) -> int:
    task.refresh_from_db()
    return task.active_claims


# --- claiming --------------------------------------------------------------------------------


def test_a_resident_claims_a_place_on_a_task():
    task = TaskFactory(capacity=2)
    resident = neighbour(task)

    claim = claim_create(task=task, resident=resident, user=TRUSTED)

    assert (claim.task, claim.resident, claim.status) == (task, resident, ClaimStatus.ACTIVE)
    assert claim.ended_at is None
    assert active_claims(task) == 1 and task.places_left == 1


def test_residents_may_fill_every_place():
    task = TaskFactory(capacity=3)

    for _ in range(3):
        claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    assert active_claims(task) == 3 and task.places_left == 0


def test_a_second_resident_cannot_claim_a_task_with_one_place():
    task = TaskFactory(capacity=1)
    claim_create(task=task, resident=neighbour(task), user=TRUSTED)
    latecomer = neighbour(task)

    with pytest.raises(TaskFull) as caught:
        claim_create(task=task, resident=latecomer, user=TRUSTED)

    assert caught.value.code == "task_full"
    assert active_claims(task) == 1
    assert Claim.objects.filter(task=task, status=ClaimStatus.ACTIVE).count() == 1
    assert not Claim.objects.filter(resident=latecomer).exists()


def test_the_database_refuses_more_active_claims_than_places():
    task = TaskFactory(capacity=1)

    with database_refuses():
        Task.objects.filter(pk=task.pk).update(active_claims=2)

    assert active_claims(task) == 0


def test_a_resident_cannot_claim_the_same_task_twice():
    task = TaskFactory(capacity=2)
    resident = neighbour(task)
    claim_create(task=task, resident=resident, user=TRUSTED)

    with pytest.raises(ValidationError) as caught:
        claim_create(task=task, resident=resident, user=TRUSTED)

    assert caught.value.code == "already_claimed"
    assert active_claims(task) == 1


def test_the_database_refuses_a_second_active_claim_by_the_same_resident():
    claim = ClaimFactory(task__capacity=2)

    with database_refuses():
        Claim.objects.create(task=claim.task, resident=claim.resident, status=ClaimStatus.ACTIVE)


def test_a_resident_may_hold_ended_claims_beside_an_active_one():
    claim = ClaimFactory(status=ClaimStatus.RELEASED)

    again = ClaimFactory(task=claim.task, resident=claim.resident)

    assert again.status == ClaimStatus.ACTIVE


def test_a_resident_of_another_community_cannot_claim():
    task = TaskFactory()

    with pytest.raises(ValidationError) as caught:
        claim_create(task=task, resident=ResidentFactory(), user=TRUSTED)

    assert caught.value.code == "other_community"
    assert active_claims(task) == 0


def test_a_closed_task_cannot_be_claimed():
    task = TaskFactory(status=TaskStatus.CLOSED)

    with pytest.raises(ValidationError) as caught:
        claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    assert caught.value.code == "task_closed"
    assert active_claims(task) == 0


# --- releasing and lapsing -------------------------------------------------------------------


def test_releasing_a_claim_frees_its_place_for_someone_else():
    task = TaskFactory(capacity=1)
    claim = claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    claim_release(claim=claim, user=TRUSTED)

    assert claim.status == ClaimStatus.RELEASED and claim.ended_at is not None
    assert active_claims(task) == 0
    assert claim_create(task=task, resident=neighbour(task), user=TRUSTED).status == ClaimStatus.ACTIVE


def test_a_resident_may_claim_again_after_releasing():
    task = TaskFactory(capacity=1)
    resident = neighbour(task)
    claim_release(claim=claim_create(task=task, resident=resident, user=TRUSTED), user=TRUSTED)

    again = claim_create(task=task, resident=resident, user=TRUSTED)

    assert again.status == ClaimStatus.ACTIVE
    assert active_claims(task) == 1


def test_a_lapsed_claim_frees_its_place():
    task = TaskFactory(capacity=1)
    claim = claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    claim_lapse(claim=claim, user=TRUSTED)

    assert claim.status == ClaimStatus.LAPSED and claim.ended_at is not None
    assert active_claims(task) == 0


def test_an_ended_claim_cannot_be_released_again():
    task = TaskFactory(capacity=2)
    claim = claim_create(task=task, resident=neighbour(task), user=TRUSTED)
    claim_create(task=task, resident=neighbour(task), user=TRUSTED)
    claim_release(claim=claim, user=TRUSTED)

    with pytest.raises(ValidationError) as caught:
        claim_release(claim=claim, user=TRUSTED)

    assert caught.value.code == "claim_not_active"
    assert active_claims(task) == 1


def test_an_ended_claim_must_record_when_it_ended():
    claim = ClaimFactory()

    with database_refuses():
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.RELEASED)


# --- check-ins -------------------------------------------------------------------------------


def today():
    return timezone.localdate()


def test_a_check_in_logs_the_task_s_hours_and_the_date():
    claim = ClaimFactory(task__hours_per_checkin=Decimal("2.0"))

    checkin = checkin_record(claim=claim, on=today(), note="Weeded the plot.", user=TRUSTED)

    assert checkin.hours == Decimal("2.0") and checkin.note == "Weeded the plot."
    claim.refresh_from_db()
    assert claim.last_checkin_on == today()


def test_a_resident_checks_in_once_a_day():
    claim = ClaimFactory()
    checkin_record(claim=claim, on=today(), user=TRUSTED)

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today(), user=TRUSTED)

    assert "already checked in on this day" in caught.value.message_dict["on"][0]
    assert claim.checkins.count() == 1


def test_the_database_refuses_two_check_ins_on_one_day():
    claim = ClaimFactory()
    checkin_record(claim=claim, on=today(), user=TRUSTED)

    with database_refuses():
        CheckIn.objects.create(claim=claim, on=today(), hours=1)


@pytest.mark.parametrize("days", [-31, 1])
def test_a_check_in_outside_the_task_s_period_is_refused(days):
    claim = ClaimFactory(task__period_start=today() - timedelta(days=30), task__period_end=today())

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today() + timedelta(days=days), user=TRUSTED)

    assert "outside the task's period" in caught.value.message_dict["on"][0]
    assert not claim.checkins.exists()


def test_a_check_in_in_the_future_is_refused():
    claim = ClaimFactory()

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today() + timedelta(days=1), user=TRUSTED)

    assert "cannot be in the future" in caught.value.message_dict["on"][0]
    assert not claim.checkins.exists()


@pytest.mark.parametrize("status", [ClaimStatus.RELEASED, ClaimStatus.LAPSED, ClaimStatus.COMPLETED])
def test_only_an_active_claim_takes_check_ins(status):
    claim = ClaimFactory(status=status)

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today(), user=TRUSTED)

    assert caught.value.code == "claim_not_active"
    assert not claim.checkins.exists()


def test_an_earlier_check_in_does_not_move_the_last_check_in_back():
    claim = ClaimFactory()
    checkin_record(claim=claim, on=today(), user=TRUSTED)

    checkin_record(claim=claim, on=today() - timedelta(days=3), user=TRUSTED)

    claim.refresh_from_db()
    assert claim.last_checkin_on == today()


def test_a_resident_s_volunteer_hours_add_up_across_check_ins_and_tasks():
    claim = ClaimFactory(task__hours_per_checkin=Decimal("1.5"))
    other = ClaimFactory(
        resident=claim.resident, task__project=claim.task.project, task__hours_per_checkin=Decimal("2.0")
    )
    checkin_record(claim=claim, on=today(), user=TRUSTED)
    checkin_record(claim=claim, on=today() - timedelta(days=7), user=TRUSTED)
    checkin_record(claim=other, on=today(), user=TRUSTED)
    checkin_record(claim=ClaimFactory(task__project=claim.task.project), on=today(), user=TRUSTED)

    assert volunteer_hours(resident=claim.resident) == Decimal("5.0")


def test_a_resident_without_check_ins_has_no_hours():
    assert volunteer_hours(resident=ResidentFactory()) == Decimal("0")
