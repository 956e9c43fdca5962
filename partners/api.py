"""REST resources of the partners app: communities, organisations and residents, read-only.

Contact details are personal or business data: they are masked for callers who may see the
row but not its details. Who may see what unmasked is worked out once per request
(`disclosure_for`), never once per row.
"""
from dataclasses import dataclass

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from common.api import IdFilter, VisibleToMixin

from . import roles
from .models import Community, Organisation, OrganisationKind, OrganisationStatus, Resident, mask_phone


@dataclass(frozen=True)
class Disclosure:
    """What the caller may see unmasked, computed with a fixed number of queries."""

    administrator: bool = False
    official: bool = False
    managed_organisations: frozenset[int] = frozenset()
    official_communities: frozenset[int] = frozenset()
    user_id: int | None = None

    def shows_organisation_contact(self, organisation_id: int) -> bool:
        """Managers of the organisation, any official, administrators."""
        return self.administrator or self.official or organisation_id in self.managed_organisations

    def shows_resident_contact(self, resident: Resident) -> bool:
        """Officials of the resident's community, the resident themself, administrators."""
        return (
            self.administrator
            or resident.community_id in self.official_communities
            or (self.user_id is not None and resident.user_id == self.user_id)
        )


def disclosure_for(request) -> Disclosure:
    """Cached on the request: one computation serves every serializer of the response."""
    cached = getattr(request, "_partners_disclosure", None)
    if cached is not None:
        return cached
    user = request.user
    if roles.is_administrator(user):
        disclosure = Disclosure(administrator=True, user_id=user.pk)
    elif roles.is_signed_in(user):
        disclosure = Disclosure(
            official=roles.is_official(user),
            managed_organisations=frozenset(roles.organisations_of(user, managed=True).values_list("pk", flat=True)),
            official_communities=frozenset(roles.official_communities(user).values_list("pk", flat=True)),
            user_id=user.pk,
        )
    else:
        disclosure = Disclosure()
    request._partners_disclosure = disclosure
    return disclosure


def masked_address_part(value: str) -> str:
    return "*" * len(value)


# --- Serializers -----------------------------------------------------------------------------


class CommunitySerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.name", read_only=True)
    district = serializers.CharField(source="street.district.name", read_only=True)

    class Meta:
        model = Community
        fields = ["id", "code", "name", "street", "district", "population", "address"]


class OrganisationSerializer(serializers.ModelSerializer):
    contact_phone = serializers.SerializerMethodField(
        help_text="Masked (138****5678) unless the caller manages the organisation or is an official."
    )

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "kind", "status", "credit_code", "home_community", "legal_representative",
            "contact_phone", "registered_on",
        ]

    @extend_schema_field(serializers.CharField())
    def get_contact_phone(self, organisation: Organisation) -> str:
        if disclosure_for(self.context["request"]).shows_organisation_contact(organisation.pk):
            return organisation.contact_phone
        return mask_phone(organisation.contact_phone)


class ResidentSerializer(serializers.ModelSerializer):
    """Phone, building and unit are masked unless the caller may see the resident's contact details."""

    class Meta:
        model = Resident
        fields = ["id", "name", "community", "phone", "building", "unit", "is_volunteer", "joined_on"]

    def to_representation(self, resident: Resident) -> dict:
        data = super().to_representation(resident)
        if not disclosure_for(self.context["request"]).shows_resident_contact(resident):
            data["phone"] = mask_phone(resident.phone)
            data["building"] = masked_address_part(resident.building)
            data["unit"] = masked_address_part(resident.unit)
        return data


# --- Filters ---------------------------------------------------------------------------------


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrganisationKind.choices)
    status = filters.ChoiceFilter(choices=OrganisationStatus.choices)
    community = IdFilter(field_name="home_community", help_text="Id of the home community.")

    class Meta:
        model = Organisation
        fields = ["kind", "status", "community"]


class ResidentFilter(filters.FilterSet):
    class Meta:
        model = Resident
        fields = ["community", "is_volunteer"]


class CommunityFilter(filters.FilterSet):
    class Meta:
        model = Community
        fields = ["street", "street__district"]


# --- Viewsets --------------------------------------------------------------------------------


class CommunityViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Communities the caller oversees, lives in, or serves."""

    queryset = Community.objects.select_related("street__district")
    serializer_class = CommunitySerializer
    filterset_class = CommunityFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code", "population"]


class OrganisationViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """The public register of organisations; contact phones masked per caller."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name", "credit_code"]
    ordering_fields = ["name", "kind", "status", "registered_on"]


class ResidentViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Residents: officials of their community, themselves and administrators."""

    queryset = Resident.objects.all()
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter
    search_fields = ["name"]
    ordering_fields = ["name", "joined_on"]


routes = [
    ("communities", CommunityViewSet, "community"),
    ("organisations", OrganisationViewSet, "organisation"),
    ("residents", ResidentViewSet, "resident"),
]
