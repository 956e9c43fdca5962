"""A worker killed in the middle of recompute_accountability leaves nothing half-written, and the job reruns.

Killed with SIGKILL, as the OOM killer, a redeploy or a lost machine would: the whole worker, or
the pool child running the job. PostgreSQL rolls the job's open transaction back when its client
is gone, and releases the job's advisory lock with the connection. Celery acknowledges a job only
when it ends (acks late) and puts it back in the queue when its worker is lost, so it is delivered
again: the run that takes over records the killed one as interrupted and completes, and the
breaches are exactly those of a run that was never interrupted.
"""

import os
import signal
import time
from contextlib import suppress
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accountability.models import Breach, BreachKind
from accountability.services.breach_detection import JOB_NAME, recompute_accountability
from config.celery import app as celery_app
from jobs.execution import job_execute
from jobs.models import JobOutcome, JobRun
from tests.factories import DutyFactory, InspectionFactory
from tests.reliability.fixtures import broker_and_cache_on, on_postgresql, redis_server, start_worker
from tests.reliability.servers import wait_until

pytestmark = [pytest.mark.usefixtures("on_postgresql"), pytest.mark.worker]

# The second worker hands out again a message left unacknowledged this long (Redis's visibility timeout).
REDELIVER_AFTER_SECONDS = 2


def unacknowledged(server) -> list[float]:
    """How long, in seconds, each message a worker took but never acknowledged has waited (kombu's index)."""
    now = time.time()
    return [now - taken for _tag, taken in server.client().zrange("unacked_index", 0, -1, withscores=True)]


def backends_waiting_for(table: str) -> list[int]:
    """Database sessions waiting for a lock on `table` (pg_locks is read live, not from a snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE NOT granted AND relation = %s::regclass"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [table],
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 1


def misses() -> list:
    """Overdue duties and failed inspections: two kinds of breach, which the job opens one kind at a time."""
    InspectionFactory.create_batch(2, result="failed")
    return DutyFactory.create_batch(3, next_due_on=timezone.localdate() - timedelta(days=2))


def breaches() -> set[tuple]:
    """What each breach is, leaving out when it was detected."""
    fields = [
        "kind",
        "project",
        "organisation",
        "duty",
        "complaint",
        "claim",
        "inspection",
        "due_on",
        "severity",
        "status",
        "description",
    ]
    found = list(Breach.objects.values_list(*fields))
    assert len(found) == len(set(found))
    return set(found)


class RolledBack(Exception):
    """Raised to roll back the reference run's writes once its breaches are read."""


def breaches_of_an_uninterrupted_run() -> set[tuple]:
    """The breaches a run on the same data opens when nothing stops it; its writes are then rolled back."""
    with suppress(RolledBack), transaction.atomic():
        recompute_accountability()
        opened = breaches()
        raise RolledBack
    assert opened and not Breach.objects.exists()
    return opened


def test_a_worker_killed_mid_job_commits_no_breach_and_the_job_redelivered_to_the_next_worker_opens_each_once(
    redis_server, broker_and_cache_on, start_worker
):
    broker_and_cache_on(redis_server)
    duties = misses()
    uninterrupted = breaches_of_an_uninterrupted_run()
    table = Breach._meta.db_table
    first_worker = start_worker(redis_server)

    lock_holder = connection.get_new_connection(connection.get_connection_params())
    try:
        with lock_holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE")
        celery_app.send_task(JOB_NAME, kwargs={"community_id": None}, ignore_result=True)
        first_worker.wait_for(lambda: backends_waiting_for(table), what="the job to block on the breach table")
        [job_backend] = backends_waiting_for(table)
        first_worker.kill()
    finally:
        lock_holder.rollback()
        lock_holder.close()
    # Unblocked, the orphaned session finds its client gone: it rolls back and ends.
    wait_until(lambda: not backend_alive(job_backend), what="the killed worker's database session to end")

    assert not Breach.objects.exists()
    [interrupted] = JobRun.objects.filter(job=JOB_NAME)
    assert interrupted.outcome == JobOutcome.RUNNING

    assert len(unacknowledged(redis_server)) == 1
    # A worker looks for messages to hand out again as it starts: let this one be due by then.
    wait_until(lambda: min(unacknowledged(redis_server)) > REDELIVER_AFTER_SECONDS, what="the message to be due")
    second_worker = start_worker(redis_server, CELERY_VISIBILITY_TIMEOUT=str(REDELIVER_AFTER_SECONDS))
    finished = JobRun.objects.filter(job=JOB_NAME, outcome=JobOutcome.SUCCEEDED)
    second_worker.wait_for(finished.exists, what="the redelivered job to complete")

    assert sorted(Breach.objects.filter(kind=BreachKind.OVERDUE_DUTY).values_list("duty", flat=True)) == sorted(
        duty.pk for duty in duties
    )
    assert finished.get().counts["overdue_duty_opened"] == 3
    assert breaches() == uninterrupted
    interrupted.refresh_from_db()
    assert (interrupted.outcome, interrupted.error) == (
        JobOutcome.INTERRUPTED,
        "Interrupted: the process running the job stopped before the run ended.",
    )
    opened = Breach.objects.count()
    again = job_execute(name=JOB_NAME, work=recompute_accountability)
    assert [count for name, count in again.counts.items() if name.endswith("_opened")] == [0] * 5
    assert Breach.objects.count() == opened


def test_a_pool_child_killed_between_two_steps_of_the_job_is_replaced_and_the_job_redelivered_completes(
    redis_server, broker_and_cache_on, start_worker, tmp_path
):
    broker_and_cache_on(redis_server)
    misses()
    uninterrupted = breaches_of_an_uninterrupted_run()
    # The job pauses once it has committed the overdue duties' breaches, before the failed inspections'.
    pause = tmp_path / "pause"
    pause.mkdir()
    step = f"{JOB_NAME}.{BreachKind.FAILED_INSPECTION}"
    (pause / f"{step}.pause").touch()
    worker = start_worker(redis_server, pool="prefork", JOB_PAUSE_DIR=str(pause), JOB_LEASE_SECONDS="6")

    celery_app.send_task(JOB_NAME, kwargs={"community_id": None}, ignore_result=True)
    worker.wait_for((pause / f"{step}.paused").exists, what="the job to pause between two steps")
    kinds_so_far = {kind for kind, *_ in breaches()}
    assert BreachKind.OVERDUE_DUTY in kinds_so_far and BreachKind.FAILED_INSPECTION not in kinds_so_far
    [child] = worker.pool_children()
    os.kill(child, signal.SIGKILL)

    finished = JobRun.objects.filter(job=JOB_NAME, outcome=JobOutcome.SUCCEEDED)
    worker.wait_for(finished.exists, what="the job delivered again to complete", timeout=120)
    assert worker.process.poll() is None and worker.pool_children() != [child]
    [interrupted] = JobRun.objects.filter(job=JOB_NAME, outcome=JobOutcome.INTERRUPTED)
    assert interrupted.started_at < finished.get().started_at
    assert not JobRun.objects.filter(job=JOB_NAME, outcome__in=[JobOutcome.RUNNING, JobOutcome.FAILED]).exists()
    assert breaches() == uninterrupted
    assert finished.get().counts["failed_inspection_opened"] == 2 and finished.get().counts["overdue_duty_opened"] == 0
