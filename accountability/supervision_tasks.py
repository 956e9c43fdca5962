"""Celery task of the supervision reports job, a thin wrapper that runs it through the job-run machinery.

It lives apart from tasks.py and is imported by AccountabilityConfig.ready(), so the worker
registers it along with the tasks Celery autodiscovers.
"""
from celery import shared_task
from django.db import InterfaceError, OperationalError

from accountability.services.supervision_reports import JOB_NAME, supervision_reports_build
from jobs.execution import job_task_execute


def supervision_job_name(period_kind: str) -> str:
    """Weekly and monthly runs are separate jobs on record, each with its own last run and lock."""
    return f"{JOB_NAME}.{period_kind}"


@shared_task(
    name=JOB_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5,
)
def build_supervision_reports_task(self, period_kind: str, community_id: int | None = None) -> dict:
    """Build the last completed week's or month's reports; a lost database connection is retried with backoff."""
    return job_task_execute(
        self, name=supervision_job_name(period_kind), community=community_id,
        work=lambda: supervision_reports_build(period_kind=period_kind, community_id=community_id),
    )
