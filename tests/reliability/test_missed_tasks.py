"""The durable side of faults, on any database: missed work kept for the catch-up, interrupted job runs closed.

The broker here is one that cannot be reached (the unreachable_broker fixture); sending the
kept work to a broker that is back is tested against a real Redis in test_redis_outage.py.
"""

from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from jobs.execution import job_execute, lock_key
from jobs.missed_tasks import missed_tasks_resend, send_or_record
from jobs.models import JobOutcome, JobRun, MissedTask
from tests.factories import JobRunFactory, MissedTaskFactory

pytestmark = pytest.mark.django_db

JOB = "accountability.recompute_accountability"
INTERRUPTED = "Interrupted: the process running the job stopped before the run ended."


def test_work_the_broker_refuses_is_kept_once_for_each_task_and_arguments(unreachable_broker):
    send_or_record(JOB, {"community_id": 5, "today": "2026-11-01"})
    send_or_record(JOB, {"today": "2026-11-01", "community_id": 5})
    send_or_record(JOB, {"community_id": 6})

    kept = MissedTask.objects.order_by("pk")
    assert [(row.task, row.kwargs) for row in kept] == [
        (JOB, {"community_id": 5, "today": "2026-11-01"}),
        (JOB, {"community_id": 6}),
    ]
    assert all("Connection refused" in row.error for row in kept)


def test_the_catch_up_keeps_every_row_while_the_broker_is_still_down(unreachable_broker):
    MissedTaskFactory.create_batch(3)

    assert missed_tasks_resend() == {"resent": 0, "waiting": 3}
    assert MissedTask.objects.count() == 3


def test_the_catch_up_is_scheduled_every_five_minutes():
    task = PeriodicTask.objects.get(task="jobs.resend_missed_tasks")

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")


def test_a_run_left_running_by_a_dead_process_is_recorded_as_interrupted_by_the_next_run():
    abandoned = JobRunFactory(
        job=JOB, outcome=JobOutcome.RUNNING, finished_at=None, started_at=timezone.now() - timedelta(hours=7)
    )

    run = job_execute(name=JOB, work=lambda: {"done": 1})

    abandoned.refresh_from_db()
    assert (abandoned.outcome, abandoned.error) == (JobOutcome.INTERRUPTED, INTERRUPTED)
    assert abandoned.finished_at == run.started_at
    assert run.outcome == JobOutcome.SUCCEEDED


@pytest.fixture
def run_in_progress():
    """A run of the job that is alive: its record, and on PostgreSQL its advisory lock on another connection."""
    running = JobRunFactory(job=JOB, outcome=JobOutcome.RUNNING, finished_at=None)
    if connection.vendor != "postgresql":
        yield running
        return
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(JOB, None)])
    try:
        yield running
    finally:
        other.close()


def test_a_run_still_in_progress_is_left_running_and_the_new_run_is_skipped(run_in_progress):
    run = job_execute(name=JOB, work=lambda: {"done": 1})

    run_in_progress.refresh_from_db()
    assert run_in_progress.outcome == JobOutcome.RUNNING
    assert run.outcome == JobOutcome.SKIPPED
    assert not JobRun.objects.filter(outcome__in=[JobOutcome.FAILED, JobOutcome.INTERRUPTED]).exists()
