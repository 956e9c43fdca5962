"""Who takes part: the territory, organisations, residents, and the people acting for them."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.credit_code import validate_credit_code
from partners.querysets import (
    CommunityQuerySet,
    DistrictQuerySet,
    OrganisationQuerySet,
    ResidentQuerySet,
    StreetQuerySet,
)


class User(AbstractUser):
    """A login. What it may do comes from its resident record, memberships and official posts."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username


# --- Territory: district > street (or town) > community ------------------------------------


class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("division code"), max_length=12, unique=True)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Street(models.Model):
    """A street office (街道) or town (镇): the level that runs several communities."""

    # No index of its own: street_unique_name (district, name) serves lookups by district.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", db_index=False, verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    is_town = models.BooleanField(_("town"), default=False)

    objects = StreetQuerySet.as_manager()

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("street or town")
        verbose_name_plural = _("streets and towns")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name")]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A community (社区) and its residents' committee: where services are delivered."""

    # No index of its own: community_unique_name (street, name) serves lookups by street.
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", db_index=False, verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    address = models.CharField(_("committee address"), max_length=200, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["street__name", "name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="community_unique_name")]

    def __str__(self):
        return self.name


# --- Organisations ---------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    ENTERPRISE = "enterprise", _("Enterprise")
    NGO = "ngo", _("NGO / social organisation")
    RESIDENT_GROUP = "resident_group", _("Resident group")


class OrganisationStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    BLACKLISTED = "blacklisted", _("Blacklisted")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.APPLICANT
    )
    home_community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="based_organisations",
        verbose_name=_("home community"),
    )
    service_area = models.ManyToManyField(
        Community, blank=True, related_name="serving_organisations", verbose_name=_("service area")
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "status"], name="organisation_kind_status")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=OrganisationStatus.values), name="organisation_status_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def may_take_part(self) -> bool:
        """Only approved organisations may apply to calls or take on new work."""
        return self.status == OrganisationStatus.APPROVED


class Qualification(models.Model):
    """A licence or certificate an organisation holds (food-service licence, elderly-care rating...)."""

    # No index of its own: qualification_unique_name (organisation, name) serves lookups by organisation.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="qualifications",
        db_index=False,
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="qualification_unique_name"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="qualification_valid_range",
            ),
        ]

    def __str__(self):
        return self.name


class MembershipRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")


class Membership(models.Model):
    """A user acting for an organisation; a manager may act for the organisation as a whole."""

    # No index of its own: membership_unique_user (user, organisation) serves lookups by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.STAFF)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user"),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class OfficialPost(models.Model):
    """An official's scope: one community, or a whole street or district (which covers all below)."""

    # No index of its own: official_post_unique_community (user, community) serves lookups by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="official_posts",
        db_index=False,
        verbose_name=_("user"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="official_posts",
        verbose_name=_("community"),
    )
    street = models.ForeignKey(
        Street, on_delete=models.CASCADE, null=True, blank=True, related_name="official_posts", verbose_name=_("street")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="official_posts",
        verbose_name=_("district"),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("official post")
        verbose_name_plural = _("official posts")
        constraints = [
            # Exactly one level of the territory per post.
            models.CheckConstraint(
                condition=(
                    Q(community__isnull=False, street__isnull=True, district__isnull=True)
                    | Q(community__isnull=True, street__isnull=False, district__isnull=True)
                    | Q(community__isnull=True, street__isnull=True, district__isnull=False)
                ),
                name="official_post_one_level",
            ),
            models.UniqueConstraint(fields=["user", "community"], name="official_post_unique_community"),
            models.UniqueConstraint(fields=["user", "street"], name="official_post_unique_street"),
            models.UniqueConstraint(fields=["user", "district"], name="official_post_unique_district"),
        ]

    def __str__(self):
        return f"{self.user}: {self.community or self.street or self.district}"


# --- Residents -------------------------------------------------------------------------------

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not enough to call it."""
    if len(phone) < 11:  # not a full mobile number: any part shown would be too much of it
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


class Resident(models.Model):
    """A person living in a community: a consumer and, through tasks and ratings, a co-producer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("user"),
    )
    # No index of its own: resident_community_volunteer (community, is_volunteer) serves lookups by community.
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="residents", db_index=False, verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=11, blank=True, validators=[phone_validator])
    building = models.CharField(_("building"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    joined_on = models.DateField(_("joined on"), auto_now_add=True)
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        help_text=_("When the resident had their account removed; the row stays, anonymised, for their ratings."),
    )

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["community", "name"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [models.Index(fields=["community", "is_volunteer"], name="resident_community_volunteer")]

    def __str__(self):
        return self.name if self.removed_at is None else str(_("Removed resident"))

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
