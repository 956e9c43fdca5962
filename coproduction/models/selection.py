"""Selection: calls for partners, applications, scored reviews and the award."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduction.models.projects import Project
from coproduction.querysets import ApplicationQuerySet, CallQuerySet
from partners.models import Organisation


class CallStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REVIEWING = "reviewing", _("Under review")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


# A call in these states is still choosing a partner; a project has at most one at a time.
UNDECIDED_CALL_STATUSES = (CallStatus.OPEN, CallStatus.REVIEWING)


class Call(models.Model):
    """A call for partners to deliver a project's service-list item."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="calls", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateTimeField(_("application deadline"))
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.OPEN)
    min_reviewers = models.PositiveSmallIntegerField(
        _("reviewers needed per application"), default=2, validators=[MinValueValidator(2)]
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    awarded_application = models.OneToOneField(
        "Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded application"),
    )
    award_reason = models.TextField(_("reason for the award"), blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)
    # Red flags of rent-seeking, recorded with the award for supervision to follow up.
    single_applicant = models.BooleanField(_("awarded with a single applicant"), default=False)
    against_ranking = models.BooleanField(_("awarded against the ranking"), default=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for partners")
        verbose_name_plural = _("calls for partners")
        indexes = [models.Index(fields=["status", "deadline"], name="call_status_deadline")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CallStatus.values), name="call_status_valid"),
            models.CheckConstraint(condition=Q(min_reviewers__gte=2), name="call_two_reviewers_at_least"),
            # Two calls under way at once would let the same service be awarded twice.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=UNDECIDED_CALL_STATUSES),
                name="call_one_undecided_per_project",
                violation_error_message=_("A project has one call for partners under way at a time."),
            ),
            # An award always names the winner, the reason, who decided and when.
            models.CheckConstraint(
                condition=~Q(status=CallStatus.AWARDED)
                | (
                    Q(awarded_application__isnull=False, awarded_by__isnull=False, awarded_at__isnull=False)
                    & ~Q(award_reason="")
                ),
                name="call_award_recorded",
                violation_error_message=_("An award names the winning application, the reason, who awarded and when."),
            ),
        ]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    """A weighted criterion of a call; the weights of a call add up to 100."""

    # No index of its own: criterion_unique_name (call, name) serves lookups by call.
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", db_index=False, verbose_name=_("call")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        ordering = ["call", "-weight", "name"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight})"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class Application(models.Model):
    # No index of its own: application_one_per_organisation (call, organisation) serves lookups by call.
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="applications", db_index=False, verbose_name=_("call")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    proposal = models.TextField(_("proposal"))
    proposed_budget = models.DecimalField(_("proposed budget (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["call", "submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="application_one_per_organisation"),
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
            models.CheckConstraint(condition=Q(proposed_budget__gte=0), name="application_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.organisation} -> {self.call}"


class ApplicationAttachment(models.Model):
    """A file sent with an application (plans, certificates, budgets); checked as report attachments are."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    # Stored under a generated name; the client's file name is kept only as a label.
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at"]
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")

    def __str__(self):
        return self.original_name


class Review(models.Model):
    """One reviewer's scores for one application; the weighted total is stored with it."""

    # No index of its own: review_one_per_reviewer (application, reviewer) serves lookups by application.
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", db_index=False, verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer")
    )
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=5, decimal_places=2)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "submitted_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="review_total_range"),
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.application} = {self.total}"


class ReviewScore(models.Model):
    # No index of its own: review_score_unique_criterion (review, criterion) serves lookups by review.
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", db_index=False, verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="review_score_range"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.score}"


class ConflictDeclaration(models.Model):
    """A reviewer's declared interest in an organisation; it bars them from scoring its applications."""

    # No index of its own: conflict_unique (reviewer, organisation, call) serves lookups by reviewer.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conflicts",
        db_index=False,
        verbose_name=_("reviewer"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="declared_conflicts", verbose_name=_("organisation")
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
        help_text=_("Leave empty for a conflict that holds for every call."),
        verbose_name=_("call"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "organisation", "call"], name="conflict_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer} / {self.organisation}"
