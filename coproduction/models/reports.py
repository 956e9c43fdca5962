"""Periodic service reports that providers submit and officials review."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coproduction.models.projects import Project
from coproduction.querysets import ServiceReportQuerySet
from partners.models import Organisation


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses with no review on record: awaiting one, or taken back before it.
UNREVIEWED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.WITHDRAWN)


class ServiceReport(models.Model):
    """A provider's account of one period: outputs, money in and out, and what happened."""

    # No indexes of their own: report_one_per_period (project, ...) and report_org_period
    # (organisation, ...) serve lookups by either, and every submission writes one index fewer each.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reports", db_index=False, verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reports", db_index=False, verbose_name=_("organisation")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    people_served = models.PositiveIntegerField(_("people served"))
    service_units = models.PositiveIntegerField(_("service units"), help_text=_("e.g. meals served, visits made"))
    cost = models.DecimalField(_("cost (yuan)"), max_digits=14, decimal_places=2)
    income = models.DecimalField(_("income (yuan)"), max_digits=14, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=14, decimal_places=2)
    narrative = models.TextField(_("narrative"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = ServiceReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period_start"]
        verbose_name = _("service report")
        verbose_name_plural = _("service reports")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="report_status_submitted"),
            # Each project's reports awaiting review (the dashboard's queue). Reviewed reports are
            # nearly all of the table, so only the submitted ones are indexed.
            models.Index(
                fields=["project", "submitted_at"],
                condition=Q(status=ReportStatus.SUBMITTED),
                name="report_awaiting_review",
            ),
            models.Index(fields=["organisation", "period_start"], name="report_org_period"),
            # The reports of a month overlap it: they end in it or later (missed reports, supervision).
            models.Index(fields=["period_end"], name="report_period_end"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "period_start"], name="report_one_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"),
            models.CheckConstraint(
                condition=Q(cost__gte=0, income__gte=0, subsidy__gte=0), name="report_money_not_negative"
            ),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(status__in=UNREVIEWED_STATUSES) | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="report_review_recorded",
                violation_error_message=_("A reviewed report needs its reviewer and review time."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(review_comment=""),
                name="report_returned_with_comment",
                violation_error_message=_("A returned report needs a comment saying what to change."),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.period_start:%Y-%m}"

    @property
    def balance(self):
        """Income plus subsidy minus cost: negative means the period ran at a loss."""
        return self.income + self.subsidy - self.cost


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ServiceReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("service report")
    )
    # Stored under a generated name; the client's file name is kept only as a label.
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self):
        return self.original_name


class ReportEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReportEvent(models.Model):
    """The history of a report: each submission and review, with the figures as they stood."""

    report = models.ForeignKey(
        ServiceReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("service report")
    )
    kind = models.CharField(_("event"), max_length=20, choices=ReportEventKind.choices)
    revision = models.PositiveSmallIntegerField(_("revision"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportEventKind.values), name="report_event_kind_valid"),
        ]

    def __str__(self):
        return f"{self.report} r{self.revision}: {self.get_kind_display()}"
