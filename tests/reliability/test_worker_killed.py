"""A worker killed in the middle of recompute_accountability leaves nothing half-written, and the job reruns.

The test holds a lock on the breach table, so the job blocks inside its transaction at its
first insert; then the worker is killed with SIGKILL, as the OOM killer or a lost machine
would. PostgreSQL rolls the job's transaction back when its client is gone, and releases the
job's advisory lock with the connection. Celery acknowledges a job only when it ends (acks
late), so the message is handed to the next worker, whose run must complete and open each
breach once.
"""
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accountability.jobs import JOB_NAME, recompute_accountability
from accountability.models import Breach, BreachKind
from coproduction.celery import app as celery_app
from coproduction.jobs import job_execute
from coproduction.models import JobOutcome, JobRun
from tests.factories import DutyFactory

from .fixtures import broker_and_cache_on, on_postgresql, redis_server, start_worker  # noqa: F401 (fixtures)
from .servers import wait_until

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
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", [table],
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 1


def test_a_worker_killed_mid_job_commits_no_breach_and_the_job_redelivered_to_the_next_worker_opens_each_once(
    redis_server, broker_and_cache_on, start_worker
):
    broker_and_cache_on(redis_server)
    duties = DutyFactory.create_batch(3, next_due_on=timezone.localdate() - timedelta(days=2))
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
    interrupted.refresh_from_db()
    assert (interrupted.outcome, interrupted.error) == (
        JobOutcome.FAILED, "Interrupted: the process running the job stopped before the run ended."
    )
    opened = Breach.objects.count()
    again = job_execute(name=JOB_NAME, work=recompute_accountability)
    assert [count for name, count in again.counts.items() if name.endswith("_opened")] == [0] * 5
    assert Breach.objects.count() == opened
