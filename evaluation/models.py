"""How well: indicators, periodic evaluations, residents' ratings and partners' trust scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coproduction.models import Project
from evaluation.querysets import (
    EvaluationQuerySet,
    IndicatorQuerySet,
    IndicatorScoreQuerySet,
    RatingQuerySet,
    TrustScoreQuerySet,
)
from partners.models import Organisation, Resident
from service_list.models import ServiceListItem


class IndicatorSource(models.TextChoices):
    """Where an indicator's score comes from when an evaluation is drawn up."""

    REPORT_OUTPUTS = "report_outputs", _("Outputs in service reports")
    SATISFACTION = "satisfaction", _("Resident satisfaction")
    BREACHES = "breaches", _("Accountability record")
    INSPECTIONS = "inspections", _("Inspection results")
    EVALUATOR = "evaluator", _("Evaluator's judgement")


class Indicator(models.Model):
    """A weighted performance indicator of a service-list item; an item's weights add up to 100."""

    # No index of its own: indicator_unique_code (service_item, code) serves lookups by service_item.
    service_item = models.ForeignKey(
        ServiceListItem,
        on_delete=models.CASCADE,
        related_name="indicators",
        db_index=False,
        verbose_name=_("service list item"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    source = models.CharField(_("source"), max_length=20, choices=IndicatorSource.choices)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For output indicators: the service units per period that earn full marks."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["service_item", "-weight", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["service_item", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="indicator_weight_range"),
            models.CheckConstraint(condition=Q(source__in=IndicatorSource.values), name="indicator_source_valid"),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gt=0), name="indicator_target_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight})"


class Grade(models.TextChoices):
    EXCELLENT = "A", _("Excellent")
    GOOD = "B", _("Good")
    ADEQUATE = "C", _("Adequate")
    POOR = "D", _("Poor")


class Evaluation(models.Model):
    """A project's performance over one period: per-indicator scores, the inputs used, total, grade."""

    # No index of its own: evaluation_one_per_period (project, period_start) serves lookups by project.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="evaluations", db_index=False, verbose_name=_("project")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    is_final = models.BooleanField(_("final evaluation"), default=False)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("evaluator")
    )
    # The figures drawn from the data when the evaluation was made, kept as evidence.
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period_start"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="evaluation_one_per_period"),
            models.UniqueConstraint(fields=["project"], condition=Q(is_final=True), name="evaluation_one_final"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="evaluation_period_ordered"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="evaluation_total_range"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="evaluation_grade_valid"),
        ]

    def __str__(self):
        return f"{self.project} {self.period_start}: {self.grade}"


class IndicatorScore(models.Model):
    # No index of its own: indicator_score_unique (evaluation, indicator) serves lookups by evaluation.
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", db_index=False, verbose_name=_("evaluation")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("indicator")
    )
    weight = models.PositiveSmallIntegerField(_("weight used"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = IndicatorScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="indicator_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="indicator_score_range"),
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.score}"


class Rating(models.Model):
    """A resident's satisfaction with a project, once per period (a calendar month)."""

    # No index of its own: rating_once_per_period (project, resident, period) serves lookups by project.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="ratings", db_index=False, verbose_name=_("project")
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("resident"))
    period = models.DateField(_("period"), help_text=_("The first day of the month rated."))
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "project"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["project", "period"], name="rating_project_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "resident", "period"],
                name="rating_once_per_period",
                violation_error_message=_("A resident rates a project once per month."),
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_range"),
        ]

    def __str__(self):
        return f"{self.project} {self.period:%Y-%m}: {self.score}"


class TrustScore(models.Model):
    """One day's trust score of an organisation; the rows together are its history."""

    # No index of its own: trust_score_one_per_day (organisation, computed_on) serves lookups by organisation.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="trust_scores",
        db_index=False,
        verbose_name=_("organisation"),
    )
    computed_on = models.DateField(_("computed on"))
    score = models.DecimalField(_("trust score"), max_digits=5, decimal_places=2)
    evaluation_component = models.DecimalField(_("from evaluations"), max_digits=5, decimal_places=2)
    breach_component = models.DecimalField(_("deducted for breaches"), max_digits=5, decimal_places=2)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = TrustScoreQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-computed_on"]
        get_latest_by = "computed_on"
        verbose_name = _("trust score")
        verbose_name_plural = _("trust scores")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "computed_on"], name="trust_score_one_per_day"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="trust_score_range"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.computed_on}: {self.score}"
