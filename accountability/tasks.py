"""Celery tasks of the accountability app: thin wrappers that run its jobs through the job-run machinery."""
from celery import shared_task
from django.db import InterfaceError, OperationalError

from accountability.services.breach_detection import JOB_NAME, recompute_accountability
from accountability.services.risk_detection import JOB_NAME as RISK_JOB_NAME
from accountability.services.risk_detection import detect_risks
from jobs.execution import job_task_execute


@shared_task(
    name=JOB_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5,
)
def recompute_accountability_task(self, community_id: int | None = None) -> dict:
    """Recompute breaches in one community or all; a lost database connection is retried with backoff."""
    return job_task_execute(
        self, name=JOB_NAME, community=community_id, work=lambda: recompute_accountability(community_id=community_id),
    )


@shared_task(
    name=RISK_JOB_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5,
)
def detect_risks_task(self) -> dict:
    """Run every risk rule over all communities; a lost database connection is retried with backoff."""
    return job_task_execute(self, name=RISK_JOB_NAME, work=detect_risks)
