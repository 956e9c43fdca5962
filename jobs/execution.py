"""Running periodic jobs: a JobRun record per run, a single-flight lock per job, a lease, and enqueueing on commit.

Every app's jobs run through job_run() (or job_execute(), which also skips the work when
another run holds the lock), so that each run is on record with its outcome and counts, and
two overlapping runs of the same job and scope (two workers, beat firing twice, an operator
running the command by hand) never both do the work.

The lock is a PostgreSQL session advisory lock on PostgreSQL: the database releases it when
the run ends or its connection dies. SQLite has none, so there the lock is the JobRun row
itself: a start is refused while a run of the same job and scope is `running` with a live
lease. The check and the insert share one write transaction, which SQLite serialises, so two
starts cannot both pass.

A worker can be killed mid-run (SIGKILL by the out-of-memory killer or a redeploy) and record
nothing. So a running run holds a lease (JobRun.lease_until), renewed every third of
JOB_LEASE_SECONDS by a thread of its own while the run works, whatever the job is doing. A run
whose lease has lapsed lost its worker: the next run of the job records it as `interrupted` and
takes over instead of being skipped. On PostgreSQL the lock being free is already proof enough;
the lease decides when the lock is still held by the session of a worker that is gone.

The periodic jobs are idempotent (each writes what is missing and refreshes what it finds), so
their tasks are acknowledged late and put back in the queue when their worker is lost; a
redelivered task that finds its lost predecessor's lease still alive retries once it has lapsed
(job_task_execute).
"""

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.missed_tasks import send_or_record
from jobs.models import JobOutcome, JobRun

logger = logging.getLogger(__name__)

# How long a run waits for the lock held by the database session of a worker whose lease lapsed: PostgreSQL
# ends such a session within CLIENT_CHECK_MS of the moment it notices its client is gone.
TAKEOVER_WAIT_SECONDS = 10
CLIENT_CHECK_MS = 2000


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


@dataclass
class RunningJob:
    """What the body of job_run() gets: the record, whether to skip, and the counts to store."""

    run: JobRun
    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def lock_key(name: str, community_id: int | None) -> int:
    """A stable signed 64-bit number for the job and its scope, as pg_try_advisory_lock wants."""
    scope = f"{name}:{community_id if community_id is not None else '*'}"
    return int.from_bytes(hashlib.blake2b(scope.encode(), digest_size=8).digest(), "big", signed=True)


def _advisory_lock(key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return cursor.fetchone()[0]


def _advisory_unlock(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _advisory_lock_wait(key: int, seconds: int) -> bool:
    """Wait at most `seconds` for the advisory lock; the lock, once taken, outlives this transaction."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{seconds}s"])
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        return True
    except OperationalError:
        return False


def _watch_for_a_lost_client() -> None:
    """Have PostgreSQL check, even in the middle of a statement, that this worker is still there.

    A killed worker's session otherwise runs its statement to the end (or waits on a lock) before it
    notices, holding the job's lock all that while; with this it ends within CLIENT_CHECK_MS (PostgreSQL 14+).
    """
    if connection.pg_version >= 140000:  # type: ignore[attr-defined]  # PostgreSQL's connection wrapper only
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('client_connection_check_interval', %s, false)", [str(CLIENT_CHECK_MS)])


def _running(name: str, community_id: int | None):
    # None reads as IS NULL (a platform-wide run), which the stubs' lookup check does not know.
    return JobRun.objects.filter(job=name, community_id=community_id, outcome=JobOutcome.RUNNING)  # type: ignore[misc]


def _lock_of_a_lost_worker(name: str, community_id: int | None, key: int, now) -> bool:
    """Take the lock another session holds when every run on record has let its lease lapse; say whether taken.

    Then the holder is the session of a worker that is gone, which PostgreSQL ends once it notices. A run
    that renews its lease, or a start that has taken the lock and not yet recorded its run, keeps the lock.
    """
    running = _running(name, community_id)
    if not running.exists() or running.filter(lease_until__gt=now).exists():
        return False
    return _advisory_lock_wait(key, TAKEOVER_WAIT_SECONDS)


def _start(name: str, community_id: int | None) -> tuple[JobRun, int | None]:
    """Record the run; its outcome is `skipped` at once when another live run holds the lock.

    Returns the run and, on PostgreSQL, the advisory lock key to release at the end.
    """
    now = timezone.now()
    if connection.vendor == "postgresql":
        key = lock_key(name, community_id)
        if not _advisory_lock(key) and not _lock_of_a_lost_worker(name, community_id, key, now):
            return _record_skipped(name, community_id, now), None
        try:
            # Holding the lock proves that no other run of this job and scope is alive.
            _close_interrupted(name, community_id, now)
            _watch_for_a_lost_client()
            return _create(name, community_id, now), key
        except BaseException:
            _release(key)
            raise
    with transaction.atomic():
        # SQLite takes the database's write lock when this transaction begins, so the check
        # and the insert below cannot interleave with another start's.
        if _running(name, community_id).filter(lease_until__gt=now).exists():
            return _record_skipped(name, community_id, now), None
        _close_interrupted(name, community_id, now)
        return _create(name, community_id, now), None


def _create(name: str, community_id: int | None, now) -> JobRun:
    return JobRun.objects.create(
        job=name, community_id=community_id, started_at=now, lease_until=now + lease_duration()
    )


def _close_interrupted(name: str, community_id: int | None, now) -> None:
    """Record as interrupted the runs left `running` by a worker that is gone (killed, out of memory...).

    Called once this run holds the lock, or on SQLite once no run's lease is alive. What such a run left
    half done was rolled back with its transaction; this run does it again.
    """
    closed = _running(name, community_id).update(
        outcome=JobOutcome.INTERRUPTED,
        finished_at=now,
        error=_("Interrupted: the process running the job stopped before the run ended."),
    )
    if closed:
        logger.warning("Job %s (community %s): %d interrupted runs taken over", name, community_id, closed)


def _record_skipped(name: str, community_id: int | None, now) -> JobRun:
    logger.info("Job %s (community %s) skipped: another run holds the lock", name, community_id)
    return JobRun.objects.create(
        job=name, community_id=community_id, started_at=now, finished_at=now, outcome=JobOutcome.SKIPPED
    )


def _finish(run: JobRun, *, outcome: str, counts: dict | None = None, error: str = "") -> None:
    run.outcome, run.finished_at, run.error = outcome, timezone.now(), error
    run.counts = counts or {}
    run.save(update_fields=["outcome", "finished_at", "counts", "error"])


class _LeaseRenewal:
    """Renews a run's lease from a thread of its own while the run works.

    A thread, on a database connection of its own, because the job's connection may be inside a long
    transaction whose writes no one else sees until it commits; and so that no job has to call anything
    between its steps. The thread dies with its process, which is what lets the lease lapse.
    """

    def __init__(self, run: JobRun):
        self.run_pk = run.pk
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._renew, name=f"job-lease-{run.pk}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()

    def _renew(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_LEASE_SECONDS / 3):
                try:
                    # Only while running: a run another took over stays interrupted.
                    _running_pk(self.run_pk).update(lease_until=timezone.now() + lease_duration())
                except DatabaseError:
                    # A database that does not answer now may answer at the next renewal, within the lease.
                    logger.warning("Could not renew the lease of job run %s", self.run_pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only


def _running_pk(pk: int):
    return JobRun.objects.filter(pk=pk, outcome=JobOutcome.RUNNING)


@contextmanager
def job_run(name: str, community=None) -> Iterator[RunningJob]:
    """Record one run of a job and hold its single-flight lock and its lease while the body runs.

    The body checks `skipped` (another run holds the lock: do nothing) and puts what it counted
    in `counts`. An exception in the body is recorded as `failed` with its text, then re-raised
    so that Celery can retry.
    """
    community_id = getattr(community, "pk", community)
    run, key = _start(name, community_id)
    job = RunningJob(run=run, skipped=run.outcome == JobOutcome.SKIPPED)
    if job.skipped:
        yield job
        return
    try:
        with _LeaseRenewal(run):
            yield job
    except Exception as error:
        _record_failure(run, error)
        raise
    else:
        _finish(run, outcome=JobOutcome.SUCCEEDED, counts=job.counts)
    finally:
        if key is not None:
            _release(key)


def job_step(name: str) -> None:
    """A boundary between two steps of a job, where what the steps before it wrote is committed.

    It does nothing unless JOB_PAUSE_DIR is set, which only fault tests do: a job reaching a step for
    which the test left the file `<name>.pause` in that folder renames it `<name>.paused` (so only one
    run pauses: the rename is atomic) and waits while that file exists, alive and renewing its lease.
    The test kills its worker at that known point, without guessing at timings.
    """
    if not settings.JOB_PAUSE_DIR:
        return
    folder = Path(settings.JOB_PAUSE_DIR)
    paused = folder / f"{name}.paused"
    try:
        os.rename(folder / f"{name}.pause", paused)
    except FileNotFoundError:
        return
    logger.info("Job paused at %s", name)
    while paused.exists():
        time.sleep(0.05)


def _release(key: int) -> None:
    """Release the advisory lock; if the connection is unusable, its closing releases the lock instead."""
    try:
        _advisory_unlock(key)
    except DatabaseError:
        logger.exception("Could not release the lock of a job run; it goes with the connection")


def _record_failure(run: JobRun, error: Exception) -> None:
    """Record the failure; when the database itself is what failed, log it rather than mask the error."""
    try:
        _finish(run, outcome=JobOutcome.FAILED, error=f"{type(error).__name__}: {error}")
    except DatabaseError:
        logger.exception("Could not record the failure of job run %s", run.pk)


def job_execute(*, name: str, work: Callable[[], dict[str, int]], community=None) -> JobRun:
    """Run `work` as one run of the job, unless another run holds the lock; return the record."""
    with job_run(name, community=community) as job:
        if not job.skipped:
            job.counts = work()
    return job.run


def job_task_execute(task, *, name: str, work: Callable[[], dict[str, int]], community=None) -> dict:
    """Run a job from its Celery task (bound, acknowledged late, rejected when its worker is lost); what it returns.

    A task delivered again because its worker was lost was most likely running this very job: on
    PostgreSQL that run's session may still hold the lock for a moment, and on SQLite its lease is
    alive until it lapses. Skipped, the message would be acknowledged and the job left undone until
    its next scheduled run, so it retries once the lease has lapsed; a live run still holding the lock
    then skips it as usual.
    """
    run = job_execute(name=name, work=work, community=community)
    if run.outcome == JobOutcome.SKIPPED and (task.request.delivery_info or {}).get("redelivered"):
        raise task.retry(countdown=settings.JOB_LEASE_SECONDS)
    return {"job_run": run.pk, "outcome": run.outcome, "counts": run.counts}


def enqueue_on_commit(task_name: str, **kwargs) -> None:
    """Send a task by name once the current transaction commits, never failing the caller.

    A web request that asks for background work must still succeed when the broker is down:
    the failure is logged and the work kept as a MissedTask, which the catch-up sends once the
    broker is back (jobs/missed_tasks.py).
    """
    transaction.on_commit(lambda: send_or_record(task_name, kwargs))
