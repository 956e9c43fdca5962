"""REST resources of the partners app: communities, organisations and residents, read-only.

Contact details are personal or business data: they are masked for callers who may see the
row but not its details. Who may see what unmasked is partners.personal_data's rule, worked out
once per request (`contact_viewer_for`), never once per row.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from common.api import FilterSet, IdFilter, VisibleToMixin
from partners.models import Community, Organisation, OrganisationKind, OrganisationStatus, Resident, mask_phone
from partners.personal_data import contact_viewer_for

# The name the other apps' serializers knew the request's viewer by.
disclosure_for = contact_viewer_for


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
            "id",
            "name",
            "kind",
            "status",
            "credit_code",
            "home_community",
            "legal_representative",
            "contact_phone",
            "registered_on",
        ]

    @extend_schema_field(serializers.CharField())
    def get_contact_phone(self, organisation: Organisation) -> str:
        if contact_viewer_for(self.context["request"]).shows_organisation_contact(organisation.pk):
            return organisation.contact_phone
        return mask_phone(organisation.contact_phone)


class ResidentSerializer(serializers.ModelSerializer):
    """Phone, building and unit are masked unless the caller may see the resident's contact details."""

    class Meta:
        model = Resident
        fields = ["id", "name", "community", "phone", "building", "unit", "is_volunteer", "joined_on"]

    def to_representation(self, resident: Resident) -> dict:
        data = super().to_representation(resident)
        data.update(contact_viewer_for(self.context["request"]).resident_contact(resident))
        return data


# --- Filters ---------------------------------------------------------------------------------


class OrganisationFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=OrganisationKind.choices)
    status = filters.ChoiceFilter(choices=OrganisationStatus.choices)
    community = IdFilter(field_name="home_community", help_text="Id of the home community.")

    class Meta:
        model = Organisation
        fields = ["kind", "status", "community"]


class ResidentFilter(FilterSet):
    class Meta:
        model = Resident
        fields = ["community", "is_volunteer"]


class CommunityFilter(FilterSet):
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
