"""Who answers for what: duties in a responsibility matrix, supervision, breaches, risks, reports."""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.querysets import (
    BreachQuerySet,
    CommunityOfficialsQuerySet,
    ComplaintQuerySet,
    DutyAssignmentQuerySet,
    DutyCompletionQuerySet,
    InspectionTemplateQuerySet,
)
from coproduction.models import Claim, Participation, Project
from coproduction.querysets import ProjectScopedQuerySet
from partners.models import Community, Organisation, OrganisationKind, Resident
from service_list.models import ServiceListItem

# --- Duties and the responsibility matrix ---------------------------------------------------


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class DutyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Duty(models.Model):
    """A duty in a project. Its Accountable party is a required column, so every duty has exactly one.

    Responsible, Consulted and Informed participants are in DutyAssignment.
    """

    # No index of its own: duty_project_status_due (project, status, next_due_on) serves lookups by project.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="duties", db_index=False, verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    accountable = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="accountable_duties", verbose_name=_("accountable party")
    )
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE)
    next_due_on = models.DateField(_("next due on"))
    status = models.CharField(_("status"), max_length=20, choices=DutyStatus.choices, default=DutyStatus.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "next_due_on"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        indexes = [
            models.Index(fields=["status", "next_due_on"], name="duty_status_due"),
            # A project's active duties by due date: the risk rules' and dashboards' per-project counts.
            models.Index(fields=["project", "status", "next_due_on"], name="duty_project_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "title"], name="duty_unique_title"),
            models.CheckConstraint(condition=Q(recurrence__in=Recurrence.values), name="duty_recurrence_valid"),
            models.CheckConstraint(condition=Q(status__in=DutyStatus.values), name="duty_status_valid"),
        ]

    def __str__(self):
        return self.title


class RaciRole(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class DutyAssignment(models.Model):
    """A Responsible, Consulted or Informed participant of a duty (Accountable lives on the duty)."""

    # No index of its own: assignment_unique_role (duty, participation, role) serves lookups by duty.
    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, related_name="assignments", db_index=False, verbose_name=_("duty")
    )
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="duty_assignments", verbose_name=_("participant")
    )
    role = models.CharField(_("role"), max_length=1, choices=RaciRole.choices)

    objects = DutyAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["duty", "role"]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        constraints = [
            models.UniqueConstraint(fields=["duty", "participation", "role"], name="assignment_unique_role"),
            models.CheckConstraint(condition=Q(role__in=["R", "C", "I"]), name="assignment_role_not_accountable"),
        ]

    def __str__(self):
        return f"{self.role}: {self.participation}"


class DutyCompletion(models.Model):
    """Evidence that one occurrence of a duty was done."""

    # No index of its own: completion_one_per_occurrence (duty, due_on) serves lookups by duty.
    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, related_name="completions", db_index=False, verbose_name=_("duty")
    )
    due_on = models.DateField(_("due on"))
    completed_at = models.DateTimeField(_("completed at"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("completed by")
    )
    evidence = models.TextField(_("evidence"))

    objects = DutyCompletionQuerySet.as_manager()

    class Meta:
        ordering = ["duty", "due_on"]
        verbose_name = _("duty completion")
        verbose_name_plural = _("duty completions")
        constraints = [
            models.UniqueConstraint(fields=["duty", "due_on"], name="completion_one_per_occurrence"),
            models.CheckConstraint(condition=~Q(evidence=""), name="completion_has_evidence"),
        ]

    def __str__(self):
        return f"{self.duty} @ {self.due_on}"


class DutyCompletionAttachment(models.Model):
    """A photo or file of a duty's evidence, checked as report attachments are and served after a permission check."""

    completion = models.ForeignKey(
        DutyCompletion, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("duty completion")
    )
    # Stored under a generated name; the client's file name is kept only as a label.
    file = models.FileField(_("file"), upload_to="duties/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["completion", "uploaded_at"]
        verbose_name = _("duty completion attachment")
        verbose_name_plural = _("duty completion attachments")

    def __str__(self):
        return self.original_name


# --- Supervision: inspections and complaints ------------------------------------------------


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    MINOR_ISSUES = "minor_issues", _("Passed with minor issues")
    FAILED = "failed", _("Failed")


class Inspection(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("inspected organisation")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("inspector")
    )
    inspected_on = models.DateField(_("inspected on"))
    # [{"item": "Kitchen clean", "passed": true, "note": ""}, ...]
    checklist = models.JSONField(_("checklist"), default=list)
    result = models.CharField(_("result"), max_length=20, choices=InspectionResult.choices)
    notes = models.TextField(_("notes"), blank=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [models.Index(fields=["result", "inspected_on"], name="inspection_result_date")]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=InspectionResult.values), name="inspection_result_valid"),
        ]

    def __str__(self):
        return f"{self.project} {self.inspected_on}"


class InspectionTemplate(models.Model):
    """The checklist an inspection of a service-list item starts from, so that inspectors do not retype it.

    The inspector still marks every item and may add or drop rows: the inspection keeps its own copy.
    """

    service_item = models.OneToOneField(
        ServiceListItem,
        on_delete=models.CASCADE,
        related_name="inspection_template",
        verbose_name=_("service list item"),
    )
    # ["Kitchen clean", "Food kept cold", ...]
    items = models.JSONField(_("checklist items"), default=list)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )

    objects = InspectionTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection template")
        verbose_name_plural = _("inspection templates")

    def __str__(self):
        return str(self.service_item)


def inspection_photo_path(photo: "InspectionPhoto", filename: str) -> str:
    # The name is generated by the service; the folder keeps one inspection's photos together.
    return f"inspections/{photo.inspection_id}/{filename}"


class InspectionPhoto(models.Model):
    """A photo taken during an inspection, re-encoded on upload and served only after a permission check."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    image = models.FileField(_("photo"), upload_to=inspection_photo_path, max_length=200)
    content_type = models.CharField(_("type"), max_length=30)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self):
        return f"{self.inspection} #{self.pk}"


def complaint_photo_path(complaint: "Complaint", filename: str) -> str:
    # The name is generated by the service; folders by month keep a directory small.
    return f"complaints/{timezone.localdate():%Y/%m}/{filename}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Awaiting response")
    ANSWERED = "answered", _("Answered")
    CONFIRMED = "confirmed", _("Confirmed by resident")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed by an official")


class Complaint(models.Model):
    """A resident's complaint, routed to the party that answers for the work.

    A complaint routed to a government body (the residents' committee, the street office) is
    answered by the officials whose post covers the community: such a body acts through them.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="complaints", verbose_name=_("project"))
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("resident")
    )
    duty = models.ForeignKey(
        Duty, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints", verbose_name=_("duty")
    )
    routed_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("routed to")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("complaint"))
    filed_at = models.DateTimeField(_("filed at"))
    response_due_at = models.DateTimeField(_("response due at"))
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    # The deadline may be extended once; the reason is in the audit log with the change.
    deadline_extended_at = models.DateTimeField(_("deadline extended at"), null=True, blank=True)
    # Re-encoded on upload (accountability.services.complaints) and served only after a permission check.
    photo = models.FileField(_("photo"), upload_to=complaint_photo_path, max_length=200, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["status", "response_due_at"], name="complaint_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ComplaintStatus.values), name="complaint_status_valid"),
            models.CheckConstraint(
                condition=Q(response_due_at__gt=F("filed_at")), name="complaint_deadline_after_filing"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "reopened", "closed"])
                | (~Q(response="") & Q(responded_at__isnull=False)),
                name="complaint_answer_recorded",
                violation_error_message=_("An answered complaint needs the response and when it was given."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(closing_note="") & Q(closed_at__isnull=False)),
                name="complaint_closing_recorded",
                violation_error_message=_("A complaint closed by an official needs the note and when it was closed."),
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def answered_by_officials(self) -> bool:
        """Routed to a government body, which answers through the community's officials."""
        return self.routed_to.kind == OrganisationKind.GOVERNMENT


# --- Breaches and sanctions -----------------------------------------------------------------


class BreachKind(models.TextChoices):
    OVERDUE_DUTY = "overdue_duty", _("Overdue duty")
    MISSED_REPORT = "missed_report", _("Missed service report")
    UNANSWERED_COMPLAINT = "unanswered_complaint", _("Unanswered complaint")
    LAPSED_CLAIM = "lapsed_claim", _("Lapsed claim")
    FAILED_INSPECTION = "failed_inspection", _("Failed inspection")


# Providers report each month by this day of the following month.
REPORT_DUE_DAY = 10

# The kinds of breach that are a deadline missed; the others (a lapsed claim, a failed
# inspection) are a fact found on a day.
DEADLINE_KINDS = frozenset({BreachKind.OVERDUE_DUTY, BreachKind.MISSED_REPORT, BreachKind.UNANSWERED_COMPLAINT})


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Sanction(models.TextChoices):
    NONE = "none", _("None")
    WARNING = "warning", _("Warning")
    RECTIFICATION_ORDER = "rectification_order", _("Rectification order")
    SUSPENSION = "suspension", _("Suspension")
    BLACKLIST = "blacklist", _("Blacklist")


class Breach(models.Model):
    """A missed obligation, naming the organisation that answers for it.

    Each kind points at its source; the conditional unique constraints make a second record of
    the same miss impossible, whoever detects it and however often.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=BreachKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("project"))
    # No index of its own: breach_org_status (organisation, status) serves lookups by organisation.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="breaches",
        verbose_name=_("accountable organisation"),
        db_index=False,
    )
    # The source, by kind: a duty occurrence, a report period, a complaint, a claim or an inspection.
    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches", verbose_name=_("duty")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches", verbose_name=_("complaint")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches", verbose_name=_("claim")
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name=_("inspection"),
    )
    description = models.TextField(_("description"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    detected_at = models.DateTimeField(_("detected at"))
    updated_at = models.DateTimeField(_("updated at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    sanction = models.CharField(_("sanction"), max_length=30, choices=Sanction.choices, default=Sanction.NONE)

    objects = BreachQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        indexes = [
            models.Index(fields=["status", "kind"], name="breach_status_kind"),
            models.Index(fields=["organisation", "status"], name="breach_org_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BreachKind.values), name="breach_kind_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="breach_severity_valid"),
            models.CheckConstraint(condition=Q(sanction__in=Sanction.values), name="breach_sanction_valid"),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False, resolved_by__isnull=False),
                name="breach_resolution_recorded",
                violation_error_message=_("A resolved breach needs who resolved it and when; an open one has neither."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="overdue_duty", duty__isnull=False, due_on__isnull=False)
                    | Q(kind="missed_report", due_on__isnull=False)
                    | Q(kind="unanswered_complaint", complaint__isnull=False)
                    | Q(kind="lapsed_claim", claim__isnull=False)
                    | Q(kind="failed_inspection", inspection__isnull=False)
                ),
                name="breach_names_its_source",
            ),
            models.UniqueConstraint(
                fields=["duty", "due_on"], condition=Q(kind="overdue_duty"), name="breach_unique_overdue_duty"
            ),
            models.UniqueConstraint(
                fields=["project", "organisation", "due_on"],
                condition=Q(kind="missed_report"),
                name="breach_unique_missed_report",
            ),
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(kind="unanswered_complaint"), name="breach_unique_complaint"
            ),
            models.UniqueConstraint(fields=["claim"], condition=Q(kind="lapsed_claim"), name="breach_unique_claim"),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(kind="failed_inspection"), name="breach_unique_inspection"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.organisation}"

    @property
    def is_missed_deadline(self) -> bool:
        return self.kind in DEADLINE_KINDS

    def overdue_since(self) -> date:
        """The day the miss began: the duty's or the report's deadline, the complaint's answer deadline.

        The job may find a miss long after it began (or be first run on old data), so the day it
        was detected says little about how long the organisation has been late. A lapsed claim
        and a failed inspection have no deadline: they count from the day they were found (the
        inspection's own date). Reads `complaint` and `inspection`: select them with the breach.
        """
        if self.kind == BreachKind.OVERDUE_DUTY and self.due_on:
            return self.due_on
        if self.kind == BreachKind.MISSED_REPORT and self.due_on:
            # due_on is the first day of the month reported on; the report is due in the month after.
            year, month = divmod(self.due_on.year * 12 + self.due_on.month, 12)
            return date(year, month + 1, min(REPORT_DUE_DAY, calendar.monthrange(year, month + 1)[1]))
        if self.kind == BreachKind.UNANSWERED_COMPLAINT and self.complaint is not None:
            return timezone.localdate(self.complaint.response_due_at)
        if self.kind == BreachKind.FAILED_INSPECTION and self.inspection is not None:
            return self.inspection.inspected_on
        return timezone.localdate(self.detected_at)

    def days_overdue(self, today: date | None = None) -> int:
        """Whole days from overdue_since() to today, or to the resolution for a resolved breach."""
        if self.resolved_at is not None:
            until = timezone.localdate(self.resolved_at)
        else:
            until = today or timezone.localdate()
        return max((until - self.overdue_since()).days, 0)


# --- Risks ---------------------------------------------------------------------------------


class RiskKind(models.TextChoices):
    """The seed's taxonomy: instrumental risks first, then value risks."""

    INCENTIVE_SHORTFALL = "incentive_shortfall", _("Incentive shortfall")
    COLLECTIVE_ACTION_DEADLOCK = "collective_action_deadlock", _("Collective-action deadlock")
    RESPONSIBILITY_AMBIGUITY = "responsibility_ambiguity", _("Responsibility ambiguity")
    RENT_SEEKING = "rent_seeking", _("Rent-seeking")
    WELFARE_DRIFT = "welfare_drift", _("Welfare drift")
    CHERRY_PICKING = "cherry_picking", _("Cherry-picking")
    FREE_RIDING = "free_riding", _("Free-riding")
    FINANCIAL_UNSUSTAINABILITY = "financial_unsustainability", _("Financial unsustainability")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class Risk(models.Model):
    """A red flag raised from signals in the data, by a rule or by hand."""

    kind = models.CharField(_("kind"), max_length=40, choices=RiskKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    # No index of its own: risk_community_status (community, status) serves lookups by community.
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="risks", db_index=False, verbose_name=_("community")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="risks", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("organisation"),
    )
    # What the risk is about, stable across detections ("call:12", "project:3"), so that a rule
    # updates its open record rather than raising a second one.
    subject_key = models.CharField(_("subject"), max_length=100)
    rule = models.CharField(_("raised by rule"), max_length=60, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CommunityOfficialsQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [models.Index(fields=["community", "status"], name="risk_community_status")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RiskKind.values), name="risk_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RiskStatus.values), name="risk_status_valid"),
            models.UniqueConstraint(
                fields=["kind", "subject_key"], condition=~Q(status="closed"), name="risk_one_open_per_subject"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"


# --- Supervision reports --------------------------------------------------------------------


class PeriodKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class SupervisionReport(models.Model):
    """A stored snapshot of one community's supervision figures for one week or month."""

    # No index of its own: supervision_report_unique_period (community, period_kind, period_start)
    # serves lookups by community.
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="supervision_reports",
        db_index=False,
        verbose_name=_("community"),
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    generated_at = models.DateTimeField(_("generated at"))
    data = models.JSONField(_("figures"), default=dict, blank=True)

    objects = CommunityOfficialsQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "community"]
        verbose_name = _("supervision report")
        verbose_name_plural = _("supervision reports")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period_kind", "period_start"], name="supervision_report_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="supervision_report_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.get_period_kind_display()} {self.period_start}"
