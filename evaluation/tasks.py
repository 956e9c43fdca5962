"""Celery tasks of the evaluation app: thin wrappers that run its jobs through the job-run machinery."""

from typing import TYPE_CHECKING

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

from evaluation.services.trust_scores import trust_scores_compute
from jobs.execution import job_task_execute

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TRUST_JOB_NAME = "evaluation.recompute_trust_scores"


def recompute_trust_scores() -> dict[str, int]:
    """Today's trust score of every organisation; the count is what the job run records."""
    return {"trust_scores_written": trust_scores_compute()}


def job_count_labels() -> "dict[str, StrOrPromise]":
    """{counter: label} for the counts recompute_trust_scores() returns, for the job runs' pages."""
    return {"trust_scores_written": _("trust scores written")}


@shared_task(
    name=TRUST_JOB_NAME,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def recompute_trust_scores_task(self) -> dict:
    """Recompute every organisation's trust score for today; a lost database connection is retried with backoff."""
    return job_task_execute(self, name=TRUST_JOB_NAME, work=recompute_trust_scores)
