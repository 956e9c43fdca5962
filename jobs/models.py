"""Runs of the periodic jobs (when, how each ended, what it counted) and the work kept while the broker was down."""

import hashlib
import json
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.scoping import ScopedQuerySet
from common.signals import signal_answers
from jobs.signals import job_count_labels_requested
from partners import roles
from partners.models import Community

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What officials read for each job on record (JobRun.job), in their language. The names are
# those the apps give their jobs (accountability.services.breach_detection, .risk_detection and
# .supervision_reports, evaluation.services.trust_scores); tests/dashboard/test_trust_and_job_pages.py
# checks that each has its label.
JOB_LABELS = {
    "accountability.recompute_accountability": _("Breach check: missed duties, reports and complaints"),
    "accountability.detect_risks": _("Risk detection"),
    "accountability.build_supervision_reports.weekly": _("Weekly supervision reports"),
    "accountability.build_supervision_reports.monthly": _("Monthly supervision reports"),
    "evaluation.recompute_trust_scores": _("Trust score computation"),
    "notifications.send_reminders": _("Reminders before deadlines"),
}


def job_label(name: str) -> str:
    """The job's label; a job without one is still named in words, never by its code."""
    return str(JOB_LABELS.get(name, _("Other periodic job")))


def job_count_labels() -> "dict[str, StrOrPromise]":
    """What each counter of a run (JobRun.counts) counts, in the reader's language.

    The apps that run jobs name their counters in answer to `job_count_labels_requested`
    (jobs/signals.py), since the kinds of breach and risk they count by are theirs to name.
    """
    labels: dict[str, StrOrPromise] = {}
    for named in signal_answers(job_count_labels_requested, JobRun):
        labels.update(named)
    return labels


def job_count_label(name: str, labels: "dict[str, StrOrPromise] | None" = None) -> str:
    """The counter's label (from `labels`, when already asked for); a counter without one is still
    named in words, never by its code."""
    if labels is None:
        labels = job_count_labels()
    return str(labels.get(name, _("other count")))


class JobOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    # "Failed" is also an inspection's result; a job's failure reads differently in Chinese.
    FAILED = "failed", pgettext_lazy("job outcome", "Failed")
    SKIPPED = "skipped", _("Skipped: another run held the lock")
    # Its worker stopped renewing the lease (killed, out of memory, redeployed); the next run took over.
    INTERRUPTED = "interrupted", _("Interrupted: its worker stopped before the run ended")


class JobRunQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        """Officials see the runs of their communities and those over all communities (whose counts
        include theirs); nobody else watches the periodic jobs."""
        if not roles.is_official(user):
            return self.none()
        return self.filter(Q(community__in=roles.official_communities(user).values("pk")) | Q(community__isnull=True))

    def latest_per_job(self):
        """The most recent run of each job and scope (all communities, or one), for dashboards."""
        newest = JobRun.objects.filter(job=OuterRef("job"), community=OuterRef("community")).order_by(
            "-started_at", "-pk"
        )
        everywhere = JobRun.objects.filter(job=OuterRef("job"), community__isnull=True).order_by("-started_at", "-pk")
        return self.filter(
            Q(community__isnull=False, pk=Subquery(newest.values("pk")[:1]))
            | Q(community__isnull=True, pk=Subquery(everywhere.values("pk")[:1]))
        )


class JobRun(models.Model):
    job = models.CharField(_("job"), max_length=60)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="job_runs", verbose_name=_("community")
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=JobOutcome.choices, default=JobOutcome.RUNNING)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Renewed by the running worker (jobs.execution); once past, the worker is taken to be gone.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_started")]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=JobOutcome.values), name="jobrun_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome="running") | Q(finished_at__isnull=False), name="jobrun_finished_when_done"
            ),
        ]

    def __str__(self):
        # Read by administrators (the admin's titles and breadcrumbs): the job's label, never its code.
        return f"{job_label(self.job)} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return job_label(self.job)


def task_fingerprint(task: str, kwargs: dict) -> str:
    """The same task with the same arguments gives the same fingerprint, whatever the order of the arguments."""
    text = json.dumps([task, kwargs], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class MissedTask(models.Model):
    """One task a request could not send to the broker; the catch-up sends it and deletes the row.

    Asking again for the same work while it waits adds no row (the fingerprint is unique), so
    the work is sent once however many requests asked for it during the outage.
    """

    task = models.CharField(_("task"), max_length=100)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("fingerprint"))
    missed_at = models.DateTimeField(_("missed at"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["missed_at", "pk"]
        verbose_name = _("missed task")
        verbose_name_plural = _("missed tasks")

    def __str__(self):
        return f"{self.task} {self.missed_at:%Y-%m-%d %H:%M}"
