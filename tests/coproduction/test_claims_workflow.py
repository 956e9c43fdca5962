"""Who may claim, release and check in; the audit trail; photos; lapsing overdue claims; hours per resident."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from common.actors import TRUSTED
from coproduction.models import CheckIn, Claim, ClaimStatus, Project, Stage, Task
from coproduction.selectors.claims import volunteer_hours_by_resident
from coproduction.services.claims import checkin_record, claim_create, claim_lapse, claim_release, claims_lapse_overdue
from tests.coproduction.report_fixtures import exe_named_pdf, jpeg, media, pdf, png, stored_files
from tests.factories import (
    CheckInFactory,
    ClaimFactory,
    OfficialPostFactory,
    ResidentFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days_ago(days: int):
    return today() - timedelta(days=days)


def neighbour(task, *, with_account: bool = True):
    """A resident of the task's community, with a login of their own."""
    return ResidentFactory(community=task.project.community, user=UserFactory() if with_account else None)


def audit_of(instance) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(instance)
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=str(instance.pk)).order_by("id"))


def places_taken(task) -> int:
    task.refresh_from_db()
    return task.active_claims


# --- Who may claim ---------------------------------------------------------------------------


def test_a_resident_claims_a_task_with_their_own_account():
    task = TaskFactory()
    resident = neighbour(task)

    claim = claim_create(task=task, resident=resident, user=resident.user)

    assert claim.resident == resident and places_taken(task) == 1


def test_a_claim_writes_an_audit_entry_naming_the_resident():
    task = TaskFactory()
    resident = neighbour(task)

    claim = claim_create(task=task, resident=resident, user=TRUSTED)

    [entry] = audit_of(claim)
    assert (entry.action, entry.actor, entry.after["status"]) == (AuditAction.CREATE, resident.user, ClaimStatus.ACTIVE)


def test_an_official_of_the_community_registers_a_claim_for_a_resident_without_a_phone():
    task = TaskFactory()
    resident = neighbour(task, with_account=False)
    official = OfficialPostFactory(community=task.project.community).user

    claim = claim_create(task=task, resident=resident, user=official)

    assert claim.resident == resident
    assert audit_of(claim)[0].actor == official


@pytest.mark.parametrize("who", ["another resident", "an official elsewhere"])
def test_nobody_else_claims_in_a_resident_s_name(who):
    task = TaskFactory()
    resident = neighbour(task)
    user = neighbour(task).user if who == "another resident" else OfficialPostFactory().user

    with pytest.raises(PermissionDenied):
        claim_create(task=task, resident=resident, user=user)

    assert not Claim.objects.exists() and places_taken(task) == 0 and not AuditEntry.objects.exists()


@pytest.mark.parametrize("stage", [Stage.DESIGN, Stage.EVALUATION, Stage.CLOSED])
def test_tasks_are_claimed_only_while_the_project_is_in_operation(stage):
    task = TaskFactory(project__stage=stage)

    with pytest.raises(ValidationError) as caught:
        claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    assert caught.value.code == "project_not_running"
    assert not Claim.objects.exists() and places_taken(task) == 0


def test_a_task_whose_period_is_over_cannot_be_claimed():
    task = TaskFactory(period_start=days_ago(60), period_end=days_ago(1))

    with pytest.raises(ValidationError) as caught:
        claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    assert caught.value.code == "task_ended"
    assert not Claim.objects.exists() and places_taken(task) == 0


def test_a_task_may_be_claimed_on_the_last_day_of_its_period():
    task = TaskFactory(period_start=days_ago(60), period_end=today())

    assert claim_create(task=task, resident=neighbour(task), user=TRUSTED).status == ClaimStatus.ACTIVE


# --- Releasing -------------------------------------------------------------------------------


def test_releasing_writes_an_audit_entry_with_the_claim_before_and_after():
    task = TaskFactory()
    resident = neighbour(task)
    claim = claim_create(task=task, resident=resident, user=TRUSTED)

    claim_release(claim=claim, user=resident.user)

    entry = audit_of(claim)[-1]
    assert (entry.action, entry.actor) == (AuditAction.CHANGE, resident.user)
    assert (entry.before["status"], entry.after["status"]) == (ClaimStatus.ACTIVE, ClaimStatus.RELEASED)
    assert entry.before["ended_at"] is None and entry.after["ended_at"] is not None


def test_an_official_of_the_community_may_release_a_resident_s_claim():
    task = TaskFactory()
    claim = claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    claim_release(claim=claim, user=OfficialPostFactory(community=task.project.community).user)

    assert claim.status == ClaimStatus.RELEASED and places_taken(task) == 0


def test_another_resident_cannot_release_someone_s_claim():
    task = TaskFactory()
    claim = claim_create(task=task, resident=neighbour(task), user=TRUSTED)

    with pytest.raises(PermissionDenied):
        claim_release(claim=claim, user=neighbour(task).user)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACTIVE and places_taken(task) == 1
    assert len(audit_of(claim)) == 1


def test_lapsing_a_claim_writes_an_audit_entry():
    claim = ClaimFactory()

    claim_lapse(claim=claim, user=TRUSTED)

    assert audit_of(claim)[-1].after["status"] == ClaimStatus.LAPSED


def test_a_claim_released_elsewhere_meanwhile_is_not_released_twice():
    task = TaskFactory(capacity=2)
    claim = claim_create(task=task, resident=neighbour(task), user=TRUSTED)
    claim_create(task=task, resident=neighbour(task), user=TRUSTED)
    stale = Claim.objects.get(pk=claim.pk)
    claim_release(claim=claim, user=TRUSTED)

    with pytest.raises(ValidationError) as caught:
        claim_release(claim=stale, user=TRUSTED)

    assert caught.value.code == "claim_not_active"
    assert places_taken(task) == 1


# --- Checking in -----------------------------------------------------------------------------


def test_a_check_in_writes_an_audit_entry():
    claim = ClaimFactory(resident__user=UserFactory())

    checkin = checkin_record(claim=claim, on=today(), note="Watered the plot.", user=claim.resident.user)

    [entry] = audit_of(checkin)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, claim.resident.user)


def test_someone_else_cannot_check_in_on_a_resident_s_claim():
    claim = ClaimFactory(resident__user=UserFactory())

    with pytest.raises(PermissionDenied):
        checkin_record(claim=claim, on=today(), user=UserFactory())

    assert not CheckIn.objects.exists()


def test_a_check_in_on_a_claim_released_meanwhile_is_refused():
    claim = ClaimFactory()
    stale = Claim.objects.get(pk=claim.pk)
    claim_release(claim=claim, user=TRUSTED)

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=stale, on=today(), user=TRUSTED)

    assert caught.value.code == "claim_not_active" and not CheckIn.objects.exists()


@pytest.mark.parametrize("photo, extension", [(png, "png"), (jpeg, "jpg")])
def test_a_check_in_keeps_a_photo_under_a_generated_name(media, photo, extension):
    claim = ClaimFactory()

    checkin = checkin_record(claim=claim, on=today(), photo=photo("my plot.png"), user=TRUSTED)

    checkin.refresh_from_db()
    assert checkin.photo.name.startswith("checkins/") and checkin.photo.name.endswith(f".{extension}")
    assert "my plot" not in checkin.photo.name
    assert stored_files(media) == [media / checkin.photo.name]


@pytest.mark.parametrize("photo", [pdf, exe_named_pdf], ids=["a PDF", "a program"])
def test_a_check_in_photo_must_be_a_picture(media, photo):
    claim = ClaimFactory()

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today(), photo=photo(), user=TRUSTED)

    assert caught.value.error_dict["photo"][0].code == "file_type"
    assert not CheckIn.objects.exists() and not stored_files(media)


def test_a_check_in_photo_over_the_size_limit_is_refused(media, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    claim = ClaimFactory()
    big_photo = png()
    big_photo.size = 101

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today(), photo=big_photo, user=TRUSTED)

    assert caught.value.error_dict["photo"][0].code == "file_too_large"
    assert not CheckIn.objects.exists() and not stored_files(media)


def test_a_bad_date_and_a_bad_photo_are_refused_together(media):
    claim = ClaimFactory()

    with pytest.raises(ValidationError) as caught:
        checkin_record(claim=claim, on=today() + timedelta(days=1), photo=pdf(), user=TRUSTED)

    assert set(caught.value.error_dict) == {"on", "photo"}
    assert not CheckIn.objects.exists() and not stored_files(media)


# --- Lapsing overdue claims ------------------------------------------------------------------


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(9)))


def claim_on(task=None, *, claimed: int, last_checkin: int | None = None, **task_fields) -> Claim:
    """An active claim made `claimed` days ago whose last check-in was `last_checkin` days ago."""
    rule = {"checkin_interval_days": 7, "missed_checkins_allowed": 2, **task_fields}
    task = task or TaskFactory(capacity=3, period_start=days_ago(200), period_end=today() + timedelta(days=100), **rule)
    claim = ClaimFactory(task=task)
    Claim.objects.filter(pk=claim.pk).update(
        claimed_at=moment(days_ago(claimed)), last_checkin_on=None if last_checkin is None else days_ago(last_checkin)
    )
    return claim


def status_of(claim) -> str:
    claim.refresh_from_db()
    return claim.status


def test_a_claim_lapses_when_check_ins_stop_for_longer_than_the_task_allows():
    # Every 7 days, 2 misses allowed: 21 days without a check-in are tolerated, the 22nd is not.
    overdue = claim_on(claimed=60, last_checkin=22)
    on_the_edge = claim_on(claimed=60, last_checkin=21)

    assert claims_lapse_overdue() == 1

    assert status_of(overdue) == ClaimStatus.LAPSED and overdue.ended_at is not None
    assert status_of(on_the_edge) == ClaimStatus.ACTIVE


def test_without_check_ins_the_clock_runs_from_the_day_of_the_claim():
    never_came = claim_on(claimed=22)
    new = claim_on(claimed=21)

    assert claims_lapse_overdue() == 1
    assert (status_of(never_came), status_of(new)) == (ClaimStatus.LAPSED, ClaimStatus.ACTIVE)


def test_the_task_s_own_interval_and_allowance_apply():
    strict = claim_on(claimed=60, last_checkin=4, checkin_interval_days=3, missed_checkins_allowed=0)
    lenient = claim_on(claimed=60, last_checkin=40, checkin_interval_days=14, missed_checkins_allowed=2)

    assert claims_lapse_overdue() == 1
    assert (status_of(strict), status_of(lenient)) == (ClaimStatus.LAPSED, ClaimStatus.ACTIVE)


def test_the_clock_does_not_run_before_the_task_s_period_begins():
    task = TaskFactory(checkin_interval_days=7, missed_checkins_allowed=2, period_start=days_ago(10))
    early = claim_on(task, claimed=40)

    assert claims_lapse_overdue() == 0
    assert status_of(early) == ClaimStatus.ACTIVE


def test_the_clock_stops_at_the_end_of_the_task_s_period():
    task = TaskFactory(
        checkin_interval_days=7,
        missed_checkins_allowed=2,
        period_start=days_ago(100),
        period_end=days_ago(30),
        capacity=2,
    )
    kept_it_up = claim_on(task, claimed=90, last_checkin=32)
    gave_up = claim_on(task, claimed=90, last_checkin=60)

    assert claims_lapse_overdue() == 1
    assert (status_of(kept_it_up), status_of(gave_up)) == (ClaimStatus.ACTIVE, ClaimStatus.LAPSED)


def test_lapsing_frees_the_places_on_each_task():
    task = TaskFactory(checkin_interval_days=7, missed_checkins_allowed=2, capacity=3, period_start=days_ago(200))
    claim_on(task, claimed=60)
    claim_on(task, claimed=50, last_checkin=30)
    claim_on(task, claimed=50, last_checkin=1)
    other = claim_on(claimed=60)

    assert claims_lapse_overdue() == 3

    assert places_taken(task) == 1 and places_taken(other.task) == 0


def test_a_freed_place_can_be_claimed_again():
    task = TaskFactory(checkin_interval_days=7, missed_checkins_allowed=2, capacity=1, period_start=days_ago(200))
    claim_on(task, claimed=60)
    claims_lapse_overdue()

    assert claim_create(task=task, resident=neighbour(task), user=TRUSTED).status == ClaimStatus.ACTIVE


def test_each_lapse_is_in_the_audit_log_with_the_platform_as_actor():
    claim = claim_on(claimed=60)

    claims_lapse_overdue()

    entry = audit_of(claim)[-1]
    assert (entry.action, entry.actor) == (AuditAction.CHANGE, None)
    assert (entry.before["status"], entry.after["status"]) == (ClaimStatus.ACTIVE, ClaimStatus.LAPSED)
    assert "lapsed" in entry.note


def test_ended_claims_are_left_as_they_are():
    released = ClaimFactory(status=ClaimStatus.RELEASED)
    Claim.objects.filter(pk=released.pk).update(claimed_at=moment(days_ago(90)))

    assert claims_lapse_overdue() == 0
    assert status_of(released) == ClaimStatus.RELEASED and not AuditEntry.objects.exists()


def test_lapsing_can_be_limited_to_some_projects():
    here, elsewhere = claim_on(claimed=60), claim_on(claimed=60)

    assert claims_lapse_overdue(projects=Project.objects.filter(pk=here.task.project_id)) == 1
    assert (status_of(here), status_of(elsewhere)) == (ClaimStatus.LAPSED, ClaimStatus.ACTIVE)


def test_lapsing_is_judged_as_of_the_day_given():
    claim = claim_on(claimed=60, last_checkin=10)

    assert claims_lapse_overdue(today=today() + timedelta(days=11)) == 0
    assert claims_lapse_overdue(today=today() + timedelta(days=12)) == 1
    assert status_of(claim) == ClaimStatus.LAPSED


def test_a_check_in_moves_the_clock_on():
    claim = claim_on(claimed=30, last_checkin=25)
    checkin_record(claim=claim, on=days_ago(3), user=TRUSTED)

    assert claims_lapse_overdue() == 0


def _queries_to_lapse(count: int) -> int:
    task = TaskFactory(checkin_interval_days=7, missed_checkins_allowed=2, capacity=count, period_start=days_ago(200))
    for _ in range(count):
        claim_on(task, claimed=60)
    CheckInFactory(claim=claim_on(claimed=60, last_checkin=1))  # one that stays
    with CaptureQueriesContext(connection) as queries:
        assert claims_lapse_overdue() == count
    assert places_taken(task) == 0
    return len(queries)


def test_lapsing_takes_the_same_number_of_queries_for_ten_times_the_claims():
    ContentType.objects.get_for_model(Claim)  # the content type is cached once per process

    assert _queries_to_lapse(3) == _queries_to_lapse(30)


def test_nothing_overdue_means_nothing_changes():
    claim = claim_on(claimed=10)

    assert claims_lapse_overdue() == 0
    assert status_of(claim) == ClaimStatus.ACTIVE and places_taken(claim.task) == 1


# --- Volunteer hours -------------------------------------------------------------------------


def test_volunteer_hours_add_up_per_resident_of_a_community():
    claim = ClaimFactory(task__hours_per_checkin=Decimal("1.5"))
    community = claim.task.project.community
    busy, idle = claim.resident, ResidentFactory(community=community, name="Zhang")
    other = ClaimFactory(task__project=claim.task.project, task__hours_per_checkin=Decimal("2.0"))
    for days in (0, 7, 14):
        checkin_record(claim=claim, on=days_ago(days), user=TRUSTED)
    checkin_record(claim=other, on=today(), user=TRUSTED)
    checkin_record(claim=ClaimFactory(), on=today(), user=TRUSTED)  # another community's

    with CaptureQueriesContext(connection) as queries:
        hours = [(resident, resident.volunteer_hours) for resident in volunteer_hours_by_resident(community=community)]

    assert hours == [(busy, Decimal("4.5")), (other.resident, Decimal("2.0")), (idle, Decimal("0"))]
    assert len(queries) == 1


def test_task_hours_do_not_change_hours_already_given():
    claim = ClaimFactory(task__hours_per_checkin=Decimal("1.5"))
    checkin_record(claim=claim, on=today(), user=TRUSTED)
    Task.objects.filter(pk=claim.task_id).update(hours_per_checkin=Decimal("3.0"))

    [resident] = volunteer_hours_by_resident(community=claim.task.project.community)
    assert resident.volunteer_hours == Decimal("1.5")
