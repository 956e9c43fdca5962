"""Residents as co-producers: claimable tasks (a green-space plot), claims and check-ins."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coproduction.models.projects import Project
from coproduction.querysets import CheckInQuerySet, ClaimQuerySet, ProjectScopedQuerySet
from partners.models import Resident


class TaskKind(models.TextChoices):
    GREEN_PLOT = "green_plot", _("Green-space plot")
    CLEANING = "cleaning", _("Cleaning round")
    VISITING = "visiting", _("Visiting round")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Task(models.Model):
    """A piece of a project that residents claim, e.g. green-space plot no. 17, 120 m²."""

    # No index of its own: task_project_status (project, status) serves lookups by project.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="tasks", db_index=False, verbose_name=_("project")
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.OTHER)
    description = models.TextField(_("description"), blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    grid_row = models.PositiveSmallIntegerField(_("map row"), null=True, blank=True)
    grid_column = models.PositiveSmallIntegerField(_("map column"), null=True, blank=True)
    care_standard = models.TextField(_("care standard"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    # Kept by the claim functions in the same UPDATE that checks the capacity, so that the
    # database refuses an over-full task even under concurrent claims.
    active_claims = models.PositiveSmallIntegerField(_("active claims"), default=0, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    checkin_interval_days = models.PositiveSmallIntegerField(
        _("check in every (days)"), default=7, help_text=_("How often a claimant is expected to check in.")
    )
    missed_checkins_allowed = models.PositiveSmallIntegerField(
        _("missed check-ins allowed"), default=2, help_text=_("Beyond this the claim lapses and frees its place.")
    )
    hours_per_checkin = models.DecimalField(
        _("volunteer hours per check-in"), max_digits=4, decimal_places=1, default=1
    )
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["project", "status"], name="task_project_status")]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="task_unique_code"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="task_capacity_positive"),
            models.CheckConstraint(
                condition=Q(active_claims__lte=F("capacity")),
                name="task_claims_within_capacity",
                violation_error_message=_("A task cannot have fewer places than active claims."),
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="task_period_ordered"),
            models.CheckConstraint(condition=Q(checkin_interval_days__gte=1), name="task_checkin_interval_positive"),
            models.CheckConstraint(condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0), name="task_area_positive"),
            models.CheckConstraint(condition=Q(hours_per_checkin__gte=0), name="task_hours_not_negative"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.active_claims


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    LAPSED = "lapsed", _("Lapsed")
    COMPLETED = "completed", _("Completed")


class Claim(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="claims", verbose_name=_("task"))
    # No index of its own: claim_resident_status (resident, status) serves lookups by resident.
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="claims", db_index=False, verbose_name=_("resident")
    )
    status = models.CharField(_("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.ACTIVE)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    last_checkin_on = models.DateField(_("last check-in"), null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["task", "claimed_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [
            models.Index(fields=["status", "last_checkin_on"], name="claim_status_last_checkin"),
            models.Index(fields=["resident", "status"], name="claim_resident_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "resident"], condition=Q(status="active"), name="claim_one_active_per_resident"
            ),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True) | (~Q(status="active") & Q(ended_at__isnull=False)),
                name="claim_ended_when_not_active",
            ),
        ]

    def __str__(self):
        return f"{self.resident} -> {self.task}"


class CheckIn(models.Model):
    """A resident's visit to their claimed task, with a note and an optional photo."""

    # No index of its own: checkin_one_per_day (claim, on) serves lookups by claim.
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="checkins", db_index=False, verbose_name=_("claim")
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to="checkins/%Y/%m/", blank=True)
    hours = models.DecimalField(_("volunteer hours"), max_digits=4, decimal_places=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "on"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["claim", "on"], name="checkin_one_per_day"),
            models.CheckConstraint(condition=Q(hours__gte=0, hours__lte=24), name="checkin_hours_range"),
        ]

    def __str__(self):
        return f"{self.claim} @ {self.on}"
