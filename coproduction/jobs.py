"""Running periodic jobs: a JobRun record per run, a single-flight lock per job, and enqueueing on commit.

Every app's jobs run through job_run() (or job_execute(), which also skips the work when
another run holds the lock), so that each run is on record with its outcome and counts, and
two overlapping runs of the same job and scope (two workers, beat firing twice, an operator
running the command by hand) never both do the work.

The lock is a PostgreSQL session advisory lock on PostgreSQL: the database releases it when
the run ends or its connection dies. SQLite has none, so there the lock is the JobRun row
itself: a start is refused while a run of the same job and scope is `running` and younger
than STALE_AFTER (a run whose worker died is given up after that). The check and the insert
share one write transaction, which SQLite serialises, so two starts cannot both pass.

A run whose process died (killed, out of memory) stays `running` in its record; the next run
that takes the lock records it as failed, since holding the lock proves it is not alive.
"""
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .missed_tasks import send_or_record
from .models import JobOutcome, JobRun

logger = logging.getLogger(__name__)

# Longer than the longest job and than Redis's visibility timeout (4 hours by default): a
# `running` record older than this belongs to a worker that died without recording its end.
STALE_AFTER = timedelta(hours=6)


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


def _start(name: str, community_id: int | None) -> tuple[JobRun, int | None]:
    """Record the run; its outcome is `skipped` at once when another run holds the lock.

    Returns the run and, on PostgreSQL, the advisory lock key to release at the end.
    """
    now = timezone.now()
    if connection.vendor == "postgresql":
        key = lock_key(name, community_id)
        if not _advisory_lock(key):
            return _record_skipped(name, community_id, now), None
        try:
            # Holding the lock proves that no other run of this job and scope is alive.
            _close_interrupted(name, community_id, now)
            return JobRun.objects.create(job=name, community_id=community_id, started_at=now), key
        except BaseException:
            _release(key)
            raise
    with transaction.atomic():
        # SQLite takes the database's write lock when this transaction begins, so the check
        # and the insert below cannot interleave with another start's.
        running = JobRun.objects.filter(
            job=name, community_id=community_id, outcome=JobOutcome.RUNNING, started_at__gt=now - STALE_AFTER
        )
        if running.exists():
            return _record_skipped(name, community_id, now), None
        _close_interrupted(name, community_id, now, started_before=now - STALE_AFTER)
        return JobRun.objects.create(job=name, community_id=community_id, started_at=now), None


def _close_interrupted(name: str, community_id: int | None, now, *, started_before=None) -> None:
    """Record as failed the runs left `running` by a process that died mid-run (killed, out of memory...).

    What such a run left half done was rolled back with its transaction; this run does it again.
    """
    interrupted = JobRun.objects.filter(job=name, community_id=community_id, outcome=JobOutcome.RUNNING)
    if started_before is not None:
        interrupted = interrupted.filter(started_at__lt=started_before)
    closed = interrupted.update(
        outcome=JobOutcome.FAILED, finished_at=now,
        error=_("Interrupted: the process running the job stopped before the run ended."),
    )
    if closed:
        logger.warning("Job %s (community %s): %d interrupted runs recorded as failed", name, community_id, closed)


def _record_skipped(name: str, community_id: int | None, now) -> JobRun:
    logger.info("Job %s (community %s) skipped: another run holds the lock", name, community_id)
    return JobRun.objects.create(
        job=name, community_id=community_id, started_at=now, finished_at=now, outcome=JobOutcome.SKIPPED
    )


def _finish(run: JobRun, *, outcome: str, counts: dict | None = None, error: str = "") -> None:
    run.outcome, run.finished_at, run.error = outcome, timezone.now(), error
    run.counts = counts or {}
    run.save(update_fields=["outcome", "finished_at", "counts", "error"])


@contextmanager
def job_run(name: str, community=None) -> Iterator[RunningJob]:
    """Record one run of a job and hold its single-flight lock while the body runs.

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
        yield job
    except Exception as error:
        _record_failure(run, error)
        raise
    else:
        _finish(run, outcome=JobOutcome.SUCCEEDED, counts=job.counts)
    finally:
        if key is not None:
            _release(key)


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


def enqueue_on_commit(task_name: str, **kwargs) -> None:
    """Send a task by name once the current transaction commits, never failing the caller.

    A web request that asks for background work must still succeed when the broker is down:
    the failure is logged and the work kept as a MissedTask, which the catch-up sends once the
    broker is back (coproduction/missed_tasks.py).
    """
    transaction.on_commit(lambda: send_or_record(task_name, kwargs))
