"""Projects: a service-list item delivered in a community by several partners, through its lifecycle."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.numbers import grouped, yuan
from coproduction.querysets import NeedQuerySet, ProjectQuerySet, ProjectScopedQuerySet
from partners.models import Community, Organisation, Resident
from service_list.models import ServiceListItem


class Stage(models.TextChoices):
    """The coproduction lifecycle: design, operation, evaluation, then closed (or renewed)."""

    DESIGN = "design", _("Design")
    OPERATION = "operation", _("Operation")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


class GovernanceLevel(models.TextChoices):
    HIGH = "high", _("High")
    LOW = "low", _("Low")


class Mode(models.TextChoices):
    """The four coproduction modes, from governance authority x resource concentration."""

    ADMINISTRATIVE_ABSORPTION = "administrative_absorption", _("Administrative absorption")
    AUTHORITATIVE_CHARISMATIC = "authoritative_charismatic", _("Authoritative-charismatic")
    COMPLEMENTARY_ADVANTAGE = "complementary_advantage", _("Complementary advantage")
    SHARING_ASSISTED = "sharing_assisted", _("Sharing-assisted")


# The government's share of valued contributions at or above which resources count as concentrated.
HIGH_CONCENTRATION_SHARE = 0.5

_concentration_high = Q(government_share__gte=HIGH_CONCENTRATION_SHARE)
_concentration_low = Q(government_share__lt=HIGH_CONCENTRATION_SHARE)


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # No index of its own: project_community_stage (community, stage) serves lookups by community.
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="projects", db_index=False, verbose_name=_("community")
    )
    service_item = models.ForeignKey(
        ServiceListItem, on_delete=models.PROTECT, related_name="projects", verbose_name=_("service-list item")
    )
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DESIGN)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    asset_justification = models.TextField(
        _("justification for a short project on specific assets"),
        blank=True,
        help_text=_("Required when the service needs specific assets and the project lasts under two years."),
    )
    governance_authority = models.CharField(
        _("governance authority"), max_length=10, choices=GovernanceLevel.choices, blank=True
    )
    authority_reason = models.TextField(_("reason for the governance authority"), blank=True)
    # Government share of the valued contributions, 0..1; null until something is valued.
    government_share = models.DecimalField(
        _("government share of contributions"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    resource_concentration = models.GeneratedField(
        expression=Case(
            When(_concentration_high, then=Value(GovernanceLevel.HIGH)),
            When(_concentration_low, then=Value(GovernanceLevel.LOW)),
            default=Value(""),
        ),
        output_field=models.CharField(max_length=10, choices=GovernanceLevel.choices),
        db_persist=True,
        verbose_name=_("resource concentration"),
    )
    mode = models.GeneratedField(
        expression=Case(
            When(
                Q(governance_authority=GovernanceLevel.HIGH) & _concentration_high,
                then=Value(Mode.ADMINISTRATIVE_ABSORPTION),
            ),
            When(
                Q(governance_authority=GovernanceLevel.HIGH) & _concentration_low,
                then=Value(Mode.AUTHORITATIVE_CHARISMATIC),
            ),
            When(
                Q(governance_authority=GovernanceLevel.LOW) & _concentration_low,
                then=Value(Mode.COMPLEMENTARY_ADVANTAGE),
            ),
            When(Q(governance_authority=GovernanceLevel.LOW) & _concentration_high, then=Value(Mode.SHARING_ASSISTED)),
            default=Value(""),
        ),
        output_field=models.CharField(max_length=30, choices=Mode.choices),
        db_persist=True,
        verbose_name=_("coproduction mode"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["community", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["community", "stage"], name="project_community_stage"),
            models.Index(fields=["mode"], name="project_mode"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="project_unique_name"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="project_stage_valid"),
            models.CheckConstraint(
                condition=Q(governance_authority__in=["", *GovernanceLevel.values]),
                name="project_authority_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(government_share__isnull=True) | Q(government_share__gte=0, government_share__lte=1),
                name="project_government_share_range",
            ),
        ]

    def __str__(self):
        return self.name

    # Generated columns get no get_FOO_display() from Django; these match the usual ones.
    def get_mode_display(self) -> str:
        return str(Mode(self.mode).label) if self.mode else ""

    def get_resource_concentration_display(self) -> str:
        return str(GovernanceLevel(self.resource_concentration).label) if self.resource_concentration else ""


class ProjectTransition(models.Model):
    """One move through the lifecycle: who moved the project, when and why."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("project")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["project", "at"]
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")
        constraints = [
            models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="transition_changes_stage"),
        ]

    def __str__(self):
        return f"{self.project}: {self.from_stage} -> {self.to_stage}"


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PROVIDER = "provider", _("Provider")
    CO_FUNDER = "co_funder", _("Co-funder")
    VOLUNTEER_GROUP = "volunteer_group", _("Volunteer group")
    FACILITY_OWNER = "facility_owner", _("Facility owner")


class Participation(models.Model):
    """An organisation's part in a project; duties and contributions hang off it."""

    # No index of its own: participation_unique_role (project, organisation, role) serves lookups by project.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participations", db_index=False, verbose_name=_("project")
    )
    # No index of its own: participation_org_role (organisation, role) serves lookups by organisation.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        db_index=False,
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "role", "organisation"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [models.Index(fields=["organisation", "role"], name="participation_org_role")]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="participation_unique_role"),
            models.UniqueConstraint(fields=["project"], condition=Q(role="lead"), name="participation_one_lead"),
            models.CheckConstraint(condition=Q(role__in=ParticipationRole.values), name="participation_role_valid"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="participation_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    LABOUR_HOURS = "labour_hours", _("Labour hours")
    FACILITY = "facility", _("Facility")
    TECHNOLOGY = "technology", _("Technology")
    MATERIALS = "materials", _("Materials")


class Contribution(models.Model):
    """What a participant puts in, valued in yuan so that shares can be compared.

    The project is the participation's, repeated so that a project's contributions are one
    indexed lookup away; contribution_add() sets both.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("project")
    )
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    value = models.DecimalField(_("value (yuan)"), max_digits=14, decimal_places=2)
    contributed_on = models.DateField(_("contributed on"))

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["participation", "contributed_on"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="contribution_value_not_negative",
                violation_error_message=_("A contribution cannot be worth less than nothing."),
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="contribution_quantity_positive"),
        ]

    def __str__(self):
        # The value is in yuan even for labour, so the hours (or other quantity) are shown beside it, never as it.
        if not self.unit:
            return gettext("%(kind)s: %(value)s") % {"kind": self.get_kind_display(), "value": yuan(self.value)}
        return gettext("%(kind)s: %(value)s (%(quantity)s %(unit)s)") % {
            "kind": self.get_kind_display(),
            "value": yuan(self.value),
            "quantity": grouped(self.quantity),
            "unit": self.unit,
        }

    def clean(self):
        errors = {}
        if self.participation_id and self.project_id and self.participation.project_id != self.project_id:
            errors["participation"] = _("The participant must take part in this project.")
        # Said on the field here; the database's CHECK constraint stays the last line of defence.
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = ValidationError(_("The quantity must be more than zero."), code="not_positive")
        if errors:
            raise ValidationError(errors)


class NeedStatus(models.TextChoices):
    # An open need waits for the committee's answer, which is what residents and officials read.
    OPEN = "open", pgettext_lazy("need status", "Open")
    PLANNED = "planned", _("Planned")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into a project")


class Need(models.Model):
    """A need a resident expresses: where the design stage of a project starts."""

    # No index of its own: need_community_status (community, status) serves lookups by community.
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="needs", db_index=False, verbose_name=_("community")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs", verbose_name=_("resident")
    )
    service_item = models.ForeignKey(
        ServiceListItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("service list item"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    response = models.TextField(_("response"), blank=True)
    # The project a merged need is served by; a project's removal leaves the answer standing.
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs", verbose_name=_("project")
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["community", "status"], name="need_community_status")]
        constraints = [models.CheckConstraint(condition=Q(status__in=NeedStatus.values), name="need_status_valid")]

    def __str__(self):
        return self.title
