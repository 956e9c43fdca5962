"""What is delivered: the published service list (服务清单) and its categories."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.models import OrganisationKind
from service_list.querysets import ServiceListItemQuerySet


class ServiceCategory(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self):
        return self.name


class ServiceNature(models.TextChoices):
    BASIC_PUBLIC = "basic_public", _("Basic public service")
    WELFARE = "welfare", _("Welfare service")
    MARKET = "market", _("Market service")


class Pricing(models.TextChoices):
    FREE = "free", _("Free to residents")
    SUBSIDISED = "subsidised", _("Subsidised")
    USER_PAYS = "user_pays", _("Paid by users")


class ListItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


# Which organisation kind each eligibility flag stands for.
# By organisation kind (a str value of OrganisationKind), the field saying whether that kind may deliver.
ELIGIBILITY_FIELDS: dict[str, str] = {
    OrganisationKind.GOVERNMENT: "allows_government",
    OrganisationKind.ENTERPRISE: "allows_enterprise",
    OrganisationKind.NGO: "allows_ngo",
    OrganisationKind.RESIDENT_GROUP: "allows_resident_group",
}


class ServiceListItem(models.Model):
    """One entry of the community service list, in one version.

    An item is identified by its code; each edit is a new version, and only one version of a
    code is published at a time, so that what partners applied for stays on record.
    """

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    nature = models.CharField(_("nature"), max_length=20, choices=ServiceNature.choices)
    allows_government = models.BooleanField(_("government bodies may deliver"), default=False)
    allows_enterprise = models.BooleanField(_("enterprises may deliver"), default=False)
    allows_ngo = models.BooleanField(_("NGOs may deliver"), default=False)
    allows_resident_group = models.BooleanField(_("resident groups may deliver"), default=False)
    standard = models.TextField(_("service standard"))
    pricing = models.CharField(_("pricing"), max_length=20, choices=Pricing.choices)
    unit_label = models.CharField(_("service unit"), max_length=30, default="次", help_text=_("e.g. meal, visit, m²"))
    unit_price = models.DecimalField(_("price per unit (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    subsidy_per_unit = models.DecimalField(
        _("subsidy per unit (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    pricing_note = models.TextField(_("pricing or subsidy rule"), blank=True)
    needs_specific_assets = models.BooleanField(
        _("needs specific assets"),
        default=False,
        help_text=_("Facilities fitted for one provider, such as a kitchen: short projects risk sunk costs."),
    )
    specific_assets_note = models.CharField(_("specific assets"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ListItemStatus.choices, default=ListItemStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ServiceListItemQuerySet.as_manager()

    class Meta:
        ordering = ["category__name", "code", "-version"]
        verbose_name = _("service list item")
        verbose_name_plural = _("service list")
        indexes = [models.Index(fields=["status", "nature"], name="listitem_status_nature")]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="listitem_unique_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="published"), name="listitem_one_published_version"
            ),
            models.CheckConstraint(
                condition=Q(allows_government=True)
                | Q(allows_enterprise=True)
                | Q(allows_ngo=True)
                | Q(allows_resident_group=True),
                name="listitem_some_kind_may_deliver",
            ),
            models.CheckConstraint(condition=Q(nature__in=ServiceNature.values), name="listitem_nature_valid"),
            models.CheckConstraint(condition=Q(pricing__in=Pricing.values), name="listitem_pricing_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="listitem_version_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__isnull=True) | Q(unit_price__gte=0), name="listitem_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(subsidy_per_unit__isnull=True) | Q(subsidy_per_unit__gte=0),
                name="listitem_subsidy_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="listitem_published_has_date",
            ),
        ]

    def __str__(self):
        return self.version_label

    @property
    def version_label(self) -> str:
        """How people name one version: by its name and number, never by its code."""
        return gettext("%(name)s, version %(version)s") % {"name": self.name, "version": self.version}

    def allows_kind(self, kind: str) -> bool:
        return getattr(self, ELIGIBILITY_FIELDS[kind])

    @property
    def eligible_kinds(self) -> list[str]:
        return [kind for kind, field in ELIGIBILITY_FIELDS.items() if getattr(self, field)]
