"""Sending background work to the broker, and catching up on the work that could not be sent.

A request that asks for background work (a trust-score refresh after a breach is resolved...)
must succeed while the broker is down, and the work must still happen once it is back. So a
send that fails is kept as a MissedTask row, in the database the request already writes to,
and missed_tasks_resend() sends the rows again: every few minutes from beat, and as soon as a
worker starts (a worker starting is often the broker coming back).

Sending is at least once: a row is deleted only after its message was accepted by the broker.
The jobs sent this way are idempotent and single-flight (jobs/execution.py), so a message
sent twice does the work once.
"""

import logging

from celery import current_app
from django.db import DatabaseError, transaction
from django.utils import timezone

from jobs.models import MissedTask, task_fingerprint

logger = logging.getLogger(__name__)

# One quick retry: a web request must not wait on an unreachable broker.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Rows sent per catch-up run; the rest wait for the next run.
RESEND_BATCH = 500


def task_send(task: str, kwargs: dict) -> None:
    """Send a task by name, fire and forget: nobody waits for its result, so the result store is not needed."""
    current_app.send_task(task, kwargs=kwargs, ignore_result=True, retry=True, retry_policy=RETRY_POLICY)


def missed_task_record(*, task: str, kwargs: dict, error: Exception) -> None:
    """Keep the work for the catch-up; the same task and arguments already waiting are kept once."""
    row = MissedTask(
        task=task,
        kwargs=kwargs,
        fingerprint=task_fingerprint(task, kwargs),
        missed_at=timezone.now(),
        error=f"{type(error).__name__}: {error}",
    )
    try:
        MissedTask.objects.bulk_create([row], ignore_conflicts=True)
    except DatabaseError:
        logger.exception("Could not keep %s %s for the catch-up: the work is lost", task, kwargs)


def send_or_record(task: str, kwargs: dict) -> None:
    """Send the task; when the broker is unreachable, log it and keep the work for the catch-up."""
    try:
        task_send(task, kwargs)
    except Exception as error:  # any broker failure is kept for later, never raised
        logger.exception("Could not enqueue %s %s: the broker is unreachable; kept for the catch-up", task, kwargs)
        missed_task_record(task=task, kwargs=kwargs, error=error)


def missed_tasks_resend() -> dict[str, int]:
    """Send the missed work again, oldest first; stop at the first failure (the broker is still down).

    The rows are locked while they are sent (skipping rows another catch-up holds), so two
    catch-ups running at once send each row once. Returns how many were sent and how many wait.
    """
    with transaction.atomic():
        oldest_first = MissedTask.objects.select_for_update(skip_locked=True).order_by("missed_at", "pk")
        waiting = list(oldest_first[:RESEND_BATCH])
        sent: list[int] = []
        for row in waiting:
            try:
                task_send(row.task, row.kwargs)
            except Exception:  # the rows stay for the next run
                logger.warning("The broker is still unreachable: %d missed tasks wait", len(waiting) - len(sent))
                break
            sent.append(row.pk)
        MissedTask.objects.filter(pk__in=sent).delete()
    if sent:
        logger.info("Sent %d missed tasks again", len(sent))
    return {"resent": len(sent), "waiting": MissedTask.objects.count()}
