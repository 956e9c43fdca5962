"""Officials' page of the periodic jobs for a community: each job's last run, and the recent failures.

Runs are read through `JobRun.objects.visible_to(user)`: those of the community and those over all
communities at once (whose figures include it). Jobs are named by their labels
(jobs.models.JOB_LABELS), never by their codes. Two queries whatever the number of runs.
"""

from datetime import timedelta

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from jobs.models import JOB_LABELS, JobOutcome, JobRun, job_label
from partners.models import Community
from web.access import official_required

FAILURES_DAYS = 30
FAILURES_LIMIT = 50


def _runs_of(community, user):
    return JobRun.objects.visible_to(user).filter(Q(community=community) | Q(community__isnull=True))


def last_runs(community, user) -> list[dict]:
    """Each job's latest run per scope, and a row for each known job that has not run yet, by label."""
    runs = list(_runs_of(community, user).latest_per_job().select_related("community"))
    rows = [{"label": run.label, "run": run} for run in runs]
    ran = {run.job for run in runs}
    rows += [{"label": job_label(job), "run": None} for job in JOB_LABELS if job not in ran]
    return sorted(rows, key=lambda row: (row["label"], row["run"] is not None and row["run"].community_id is None))


@official_required
def job_list(request, code):
    """The jobs' last runs and the failures of the last FAILURES_DAYS days, for the community and all communities."""
    community = get_object_or_404(
        Community.objects.overseen_by(request.user).select_related("street__district"), code=code
    )
    failures = (
        _runs_of(community, request.user)
        # An interrupted run was taken over, but its lost worker (killed, out of memory) is worth a look.
        .filter(
            outcome__in=[JobOutcome.FAILED, JobOutcome.INTERRUPTED],
            started_at__gte=timezone.now() - timedelta(days=FAILURES_DAYS),
        )
        .select_related("community")
        .order_by("-started_at", "-pk")[:FAILURES_LIMIT]
    )
    return render(
        request,
        "dashboard/jobs/list.html",
        {
            "community": community,
            "section": "jobs",
            "last_runs": last_runs(community, request.user),
            "failures": failures,
            "failures_days": FAILURES_DAYS,
        },
    )


urls = [
    path("communities/<slug:code>/jobs/", job_list, name="job_list"),
]
