"""The job platform's own tasks. Domain jobs live in the tasks module of the app that owns the data."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from jobs.missed_tasks import missed_tasks_resend
from partners.models import Community

logger = logging.getLogger(__name__)

RESEND_MISSED_TASKS = "jobs.resend_missed_tasks"


@shared_task(name="jobs.ping")
def ping() -> dict:
    """Proves a worker is alive and reaches the database: used by health checks and tests."""
    return {"pong": True, "communities": Community.objects.count()}


@shared_task(name=RESEND_MISSED_TASKS, acks_late=True)
def resend_missed_tasks() -> dict:
    """Send again the work requests could not send while the broker was down (run by beat every few minutes)."""
    return missed_tasks_resend()


@worker_ready.connect
def resend_missed_tasks_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A worker that starts has just reached the broker, often right after an outage: catch up at once."""
    try:
        resend_missed_tasks.apply_async(ignore_result=True)
    except Exception:
        logger.exception("Could not enqueue the catch-up of missed tasks")
