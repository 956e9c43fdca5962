"""The reminders job: each deadline reminded once, before it passes, to the people who answer for it."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accountability.models import ComplaintStatus
from coproduction.models import Claim, ParticipationRole
from jobs.execution import job_execute
from jobs.models import JobOutcome, JobRun, job_label
from notifications.models import Notification
from notifications.services.reminders import JOB_NAME, reminders_send
from notifications.tasks import send_reminders_task
from partners.models import MembershipRole
from tests.factories import (
    ClaimFactory,
    CommunityFactory,
    ComplaintFactory,
    DutyCompletionFactory,
    DutyFactory,
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    ServiceReportFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The 6th of a month: the previous month's service report is due by the 10th.
REPORT_DAY = date(2026, 12, 6)


def kinds_told(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def a_provider(project=None):
    """A provider of a running project, with a manager and a staff member; returns (participation, manager, staff)."""
    participation = ParticipationFactory(project=project or ProjectFactory(), role=ParticipationRole.PROVIDER)
    manager = MembershipFactory(organisation=participation.organisation, role=MembershipRole.MANAGER).user
    staff = MembershipFactory(organisation=participation.organisation, role=MembershipRole.STAFF).user
    return participation, manager, staff


# --- service reports -----------------------------------------------------------------------------


def test_a_report_due_reaches_the_providers_managers_before_the_deadline():
    participation, manager, staff = a_provider()

    counts = reminders_send(today=REPORT_DAY)

    (due,) = Notification.objects.filter(recipient=manager)
    assert due.kind == "report_due" and counts["report_due"] == 1
    assert due.params["date"] == "2026-12-10" and due.params["period"] == "2026-11-01 – 2026-11-30"
    assert due.url == reverse("partner_portal:report_new", args=[participation.project_id])
    assert kinds_told(staff) == []


@pytest.mark.parametrize("day", [1, 4, 10, 20])
def test_no_report_reminder_outside_the_days_before_the_deadline(day):
    _participation, manager, _staff = a_provider()

    reminders_send(today=REPORT_DAY.replace(day=day))

    assert kinds_told(manager) == []


def test_no_report_reminder_once_the_report_is_submitted():
    participation, manager, _staff = a_provider()
    ServiceReportFactory(
        project=participation.project,
        organisation=participation.organisation,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )

    reminders_send(today=REPORT_DAY)

    assert kinds_told(manager) == []


def test_no_report_reminder_for_a_provider_that_has_left_or_a_project_not_started():
    _participation, gone, _staff = a_provider()
    _participation.left_on = date(2026, 10, 1)
    _participation.save()
    _later, not_yet, _staff = a_provider(ProjectFactory(start_date=date(2026, 12, 1)))

    reminders_send(today=REPORT_DAY)

    assert kinds_told(gone) == [] and kinds_told(not_yet) == []


def test_a_rerun_on_the_next_day_sends_no_report_reminder_again():
    _participation, manager, _staff = a_provider()

    reminders_send(today=REPORT_DAY)
    counts = reminders_send(today=REPORT_DAY + timedelta(days=1))

    assert counts["report_due"] == 0 and kinds_told(manager) == ["report_due"]


# --- duties ----------------------------------------------------------------------------------------


def test_a_duty_due_within_three_days_reaches_the_accountable_managers_once():
    today = timezone.localdate()
    participation, manager, staff = a_provider()
    duty = DutyFactory(project=participation.project, accountable=participation, next_due_on=today + timedelta(days=2))
    DutyFactory(project=participation.project, accountable=participation, next_due_on=today + timedelta(days=3))
    done = DutyFactory(project=participation.project, accountable=participation, next_due_on=today)
    DutyCompletionFactory(duty=done)

    reminders_send(today=today)
    reminders_send(today=today)

    # Only the duty due within three days, today included: not the one due on the fourth day, nor the one done.
    (due,) = Notification.objects.filter(recipient=manager, kind="duty_due")
    assert due.url == reverse("partner_portal:duty_complete", args=[duty.pk])
    assert kinds_told(staff) == []
    assert Notification.objects.filter(kind="duty_due").count() == 1


# --- claims ----------------------------------------------------------------------------------------


def test_a_claim_about_to_lapse_reaches_its_resident_once():
    today = timezone.localdate()
    daily = TaskFactory(checkin_interval_days=1, missed_checkins_allowed=0)
    lapsing = ClaimFactory(task=daily, resident__user=UserFactory())
    weekly = ClaimFactory(resident__user=UserFactory())  # seven days, and two misses, to go

    reminders_send(today=today)
    reminders_send(today=today)

    (reminder,) = Notification.objects.filter(recipient=lapsing.resident.user)
    assert reminder.kind == "claim_lapsing" and reminder.params["date"] == (today + timedelta(days=1)).isoformat()
    assert reminder.url == reverse("resident_portal:checkin", args=[lapsing.pk])
    assert kinds_told(weekly.resident.user) == []


def test_a_claim_already_overdue_or_ending_with_its_task_is_not_reminded():
    today = timezone.localdate()
    overdue = ClaimFactory(
        task=TaskFactory(checkin_interval_days=1, missed_checkins_allowed=0),
        resident__user=UserFactory(),
        last_checkin_on=today - timedelta(days=5),
    )
    ending = ClaimFactory(
        task=TaskFactory(checkin_interval_days=1, missed_checkins_allowed=0, period_end=today),
        resident__user=UserFactory(),
    )

    reminders_send(today=today)

    assert kinds_told(overdue.resident.user) == [] and kinds_told(ending.resident.user) == []


# --- complaints ------------------------------------------------------------------------------------


def test_a_complaint_near_its_deadline_reaches_the_officials_covering_its_community_once():
    now = timezone.now()
    project = ProjectFactory()
    official = OfficialPostFactory(community=project.community).user
    OfficialPostFactory(user=official, community=None, street=project.community.street)  # two covering posts
    district_official = OfficialPostFactory(community=None, district=project.community.street.district).user
    elsewhere = OfficialPostFactory(community=CommunityFactory()).user
    near = complaint_due(project, now + timedelta(hours=5))
    complaint_due(project, now + timedelta(days=2))
    complaint_due(
        project,
        now + timedelta(hours=5),
        status=ComplaintStatus.ANSWERED,
        response="Hot boxes from Monday.",
        responded_at=now,
    )

    reminders_send(now=now)
    reminders_send(now=now)

    for user in (official, district_official):
        (reminder,) = Notification.objects.filter(recipient=user)
        assert reminder.kind == "complaint_deadline"
        assert reminder.url == reverse("dashboard:complaint_detail", args=[near.pk])
    assert kinds_told(elsewhere) == []


# --- the job ---------------------------------------------------------------------------------------


def complaint_due(project, due_at, **fields):
    return ComplaintFactory(project=project, filed_at=due_at - timedelta(days=3), response_due_at=due_at, **fields)


def some_of_everything(today: date, now: datetime) -> None:
    participation, _manager, _staff = a_provider()
    DutyFactory(project=participation.project, accountable=participation, next_due_on=today + timedelta(days=1))
    claim = ClaimFactory(
        task=TaskFactory(project=participation.project, checkin_interval_days=1, missed_checkins_allowed=0),
        resident=ResidentFactory(community=participation.project.community, user=UserFactory()),
    )
    Claim.objects.filter(pk=claim.pk).update(claimed_at=now - timedelta(hours=1))
    OfficialPostFactory(community=participation.project.community)
    complaint_due(participation.project, now + timedelta(hours=3))


def queries_of_a_run(today: date, now: datetime) -> int:
    with CaptureQueriesContext(connection) as queries:
        reminders_send(today=today, now=now)
    return len(queries)


def test_the_job_makes_as_many_queries_for_many_reminders_as_for_one():
    now = timezone.make_aware(datetime(2026, 12, 6, 9, 0))
    today = timezone.localdate(now)
    some_of_everything(today, now)
    first = queries_of_a_run(today, now)
    assert Notification.objects.values("kind").distinct().count() == 4

    for _more in range(5):
        some_of_everything(today, now)
    written_before = Notification.objects.count()
    assert queries_of_a_run(today, now) == first
    assert Notification.objects.count() == written_before * 6


def test_the_job_runs_on_record_and_a_second_run_writes_nothing():
    now = timezone.make_aware(datetime(2026, 12, 6, 9, 0))
    some_of_everything(timezone.localdate(now), now)

    first = job_execute(name=JOB_NAME, work=lambda: reminders_send(now=now))
    second = job_execute(name=JOB_NAME, work=lambda: reminders_send(now=now))

    assert first.counts == {"report_due": 1, "duty_due": 1, "claim_lapsing": 1, "complaint_deadline": 1}
    assert second.counts == {"report_due": 0, "duty_due": 0, "claim_lapsing": 0, "complaint_deadline": 0}


def test_the_command_and_the_celery_task_run_the_job_on_record():
    call_command("send_reminders", stdout=StringIO())
    result = send_reminders_task.apply().get()

    assert JobRun.objects.filter(job=JOB_NAME, outcome=JobOutcome.SUCCEEDED).count() == 2
    assert result["outcome"] == JobOutcome.SUCCEEDED


def test_the_job_is_scheduled_daily_and_named_in_words():
    assert PeriodicTask.objects.filter(task=JOB_NAME, enabled=True, crontab__isnull=False).exists()
    assert job_label(JOB_NAME) == "Reminders before deadlines"
