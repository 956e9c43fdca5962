"""Celery tasks of the accountability app: thin wrappers that run its jobs through the job-run machinery."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from accountability.services.breach_detection import JOB_NAME, recompute_accountability
from accountability.services.risk_detection import JOB_NAME as RISK_JOB_NAME
from accountability.services.risk_detection import detect_risks
from accountability.services.supervision_reports import JOB_NAME as SUPERVISION_JOB_NAME
from accountability.services.supervision_reports import supervision_reports_build
from jobs.execution import job_task_execute


@shared_task(
    name=JOB_NAME,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def recompute_accountability_task(self, community_id: int | None = None) -> dict:
    """Recompute breaches in one community or all; a lost database connection is retried with backoff."""
    return job_task_execute(
        self,
        name=JOB_NAME,
        community=community_id,
        work=lambda: recompute_accountability(community_id=community_id),
    )


@shared_task(
    name=RISK_JOB_NAME,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def detect_risks_task(self) -> dict:
    """Run every risk rule over all communities; a lost database connection is retried with backoff."""
    return job_task_execute(self, name=RISK_JOB_NAME, work=detect_risks)


def supervision_job_name(period_kind: str) -> str:
    """Weekly and monthly runs are separate jobs on record, each with its own last run and lock."""
    return f"{SUPERVISION_JOB_NAME}.{period_kind}"


@shared_task(
    name=SUPERVISION_JOB_NAME,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def build_supervision_reports_task(self, period_kind: str, community_id: int | None = None) -> dict:
    """Build the last completed week's or month's reports; a lost database connection is retried with backoff."""
    return job_task_execute(
        self,
        name=supervision_job_name(period_kind),
        community=community_id,
        work=lambda: supervision_reports_build(period_kind=period_kind, community_id=community_id),
    )
