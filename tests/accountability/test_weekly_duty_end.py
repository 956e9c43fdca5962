"""A recurring duty stops at its project's end date: the service period has no more occurrences."""

from datetime import date, timedelta

import pytest

from accountability.models import Breach, DutyStatus, Recurrence
from accountability.services.breach_detection import recompute_accountability
from accountability.services.duties import duty_complete
from audit.models import AuditAction
from tests.factories import DutyFactory

pytestmark = pytest.mark.django_db

END = date(2026, 6, 30)


@pytest.fixture
def ending_project(project):
    project.end_date = END
    project.save(update_fields=["end_date"])
    return project


def weekly(project, provider, next_due_on, **overrides):
    return DutyFactory(
        project=project, accountable=provider, recurrence=Recurrence.WEEKLY, next_due_on=next_due_on, **overrides
    )


def test_completing_the_last_week_before_the_end_finishes_the_duty(ending_project, provider, official):
    duty = weekly(ending_project, provider, END - timedelta(days=3))

    duty_complete(duty=duty, user=official, evidence="Kitchen cleaned.")

    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
    assert duty.next_due_on == END - timedelta(days=3)


def test_an_occurrence_due_on_the_end_date_itself_still_comes(ending_project, provider, official):
    duty = weekly(ending_project, provider, END - timedelta(days=7))

    duty_complete(duty=duty, user=official, evidence="Kitchen cleaned.")

    duty.refresh_from_db()
    assert (duty.status, duty.next_due_on) == (DutyStatus.ACTIVE, END)


def test_a_project_without_an_end_date_keeps_the_duty_recurring(project, provider, official):
    project.end_date = None
    project.save(update_fields=["end_date"])
    duty = weekly(project, provider, END)

    duty_complete(duty=duty, user=official, evidence="Kitchen cleaned.")

    duty.refresh_from_db()
    assert (duty.status, duty.next_due_on) == (DutyStatus.ACTIVE, END + timedelta(days=7))


def test_the_daily_job_finishes_a_weekly_duty_already_past_the_end_and_opens_no_breach(
    ending_project, provider, audit_of
):
    duty = weekly(ending_project, provider, END + timedelta(days=4))

    counts = recompute_accountability(community_id=ending_project.community_id, today=END + timedelta(days=70))

    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE
    assert counts["duties_finished_past_end"] == 1
    assert not Breach.objects.filter(duty=duty).exists()
    change = audit_of(duty, AuditAction.CHANGE).get()
    assert (change.actor, change.before["status"], change.after["status"]) == (None, "active", "done")


def test_the_daily_job_leaves_one_off_duties_and_occurrences_within_the_period(ending_project, provider):
    final_report = DutyFactory(
        project=ending_project, accountable=provider, recurrence=Recurrence.ONCE, next_due_on=END + timedelta(days=14)
    )
    last_week = weekly(ending_project, provider, END - timedelta(days=2))

    recompute_accountability(community_id=ending_project.community_id, today=END - timedelta(days=5))

    final_report.refresh_from_db()
    last_week.refresh_from_db()
    assert final_report.status == last_week.status == DutyStatus.ACTIVE
