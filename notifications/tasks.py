"""Celery tasks of the notifications app: thin wrappers over its services."""

from datetime import date, timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from jobs.execution import job_task_execute
from notifications.services.delivery import deliveries_send_due, digests_prepare, digests_send_due
from notifications.services.reminders import JOB_NAME as REMINDERS_JOB_NAME
from notifications.services.reminders import reminders_send

SEND_TASK = "notifications.send_due_deliveries"
DIGEST_TASK = "notifications.send_daily_digests"


# Acknowledged late and put back when the worker is lost: sending takes each row under a lock and skips the
# sent ones, so running it again is harmless, and a lost run's work is not.
@shared_task(
    name=SEND_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def send_due_deliveries() -> dict[str, int]:
    """Send the e-mails and digests that are due, including the retries of those that failed."""
    deliveries = deliveries_send_due()
    digests = digests_send_due()
    return {
        "sent": deliveries["sent"],
        "failed": deliveries["failed"],
        "digests_sent": digests["sent"],
        "digests_failed": digests["failed"],
    }


@shared_task(
    name=DIGEST_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def send_daily_digests(day: str | None = None) -> dict[str, int]:
    """Gather a day's digest notifications (yesterday's, by default) into one mail per person, and send them."""
    digest_day = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    queued = digests_prepare(day=digest_day)
    return {"queued": queued, **digests_send_due()}


@shared_task(
    name=REMINDERS_JOB_NAME,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def send_reminders_task(self) -> dict:
    """Write today's reminders before their deadlines; a lost database connection is retried with backoff."""
    return job_task_execute(self, name=REMINDERS_JOB_NAME, work=reminders_send)
