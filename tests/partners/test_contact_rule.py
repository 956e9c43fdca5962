"""Who sees a resident's or an organisation's contact details in full: partners.personal_data's one rule."""

import pytest

from partners.models import MembershipRole
from partners.personal_data import contact_viewer, mask_address_part, mask_name
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ResidentFactory,
    StreetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return ResidentFactory(user=UserFactory(), phone="13912345678", building="12", unit="3")


FULL = {"phone": "13912345678", "building": "12", "unit": "3"}
MASKED = {"phone": "139****5678", "building": "**", "unit": "*"}


def test_the_resident_sees_their_own_contact_details_and_is_not_audited(resident):
    viewer = contact_viewer(resident.user)
    assert viewer.resident_contact(resident) == FULL
    assert viewer.shown_residents == set()


def test_an_official_of_the_residents_community_sees_them_in_full_and_the_view_is_noted(resident):
    viewer = contact_viewer(OfficialPostFactory(community=resident.community).user)
    assert viewer.resident_contact(resident) == FULL
    assert viewer.shown_residents == {resident.pk}


def test_a_street_officials_post_covers_the_communities_below_it(resident):
    official = OfficialPostFactory(community=None, street=resident.community.street).user
    assert contact_viewer(official).resident_contact(resident) == FULL


def test_an_official_of_another_community_sees_them_masked(resident):
    official = OfficialPostFactory(community=CommunityFactory(street=StreetFactory())).user
    viewer = contact_viewer(official)
    assert viewer.resident_contact(resident) == MASKED
    assert viewer.shown_residents == set()


def test_partner_staff_and_other_residents_see_them_masked(resident):
    staff = MembershipFactory(organisation=OrganisationFactory()).user
    neighbour = ResidentFactory(community=resident.community, user=UserFactory()).user
    assert contact_viewer(staff).resident_contact(resident) == MASKED
    assert contact_viewer(neighbour).resident_contact(resident) == MASKED


def test_an_administrator_sees_them_in_full_and_the_view_is_noted(resident):
    viewer = contact_viewer(UserFactory(is_superuser=True, is_staff=True))
    assert viewer.resident_contact(resident) == FULL
    assert viewer.shown_residents == {resident.pk}


def test_an_inactive_account_sees_nothing_in_full(resident):
    resident.user.is_active = False
    assert contact_viewer(resident.user).resident_contact(resident) == MASKED


def test_an_organisations_contact_is_full_for_its_managers_and_officials_only():
    organisation = OrganisationFactory()
    manager = MembershipFactory(organisation=organisation, role=MembershipRole.MANAGER).user
    staff = MembershipFactory(organisation=organisation, role=MembershipRole.STAFF).user
    official = OfficialPostFactory().user
    assert contact_viewer(manager).shows_organisation_contact(organisation.pk)
    assert contact_viewer(official).shows_organisation_contact(organisation.pk)
    assert not contact_viewer(staff).shows_organisation_contact(organisation.pk)


def test_the_viewer_asks_the_same_queries_whatever_the_number_of_posts(django_assert_num_queries):
    official = OfficialPostFactory().user
    for _ in range(5):
        OfficialPostFactory(user=official)
    resident, organisation = ResidentFactory(), OrganisationFactory()
    viewer = contact_viewer(official)
    # Whether the user holds a post, and the communities the posts cover: read once, then kept.
    with django_assert_num_queries(2):
        for _ in range(3):
            viewer.shows_resident_contact(resident)
            viewer.shows_organisation_contact(organisation.pk)
            viewer.resident_contact(resident)


def test_a_resident_looking_at_their_own_record_costs_no_query(django_assert_num_queries):
    resident = ResidentFactory(user=UserFactory(), phone="13800001111")
    with django_assert_num_queries(0):
        assert contact_viewer(resident.user).resident_contact(resident)["phone"] == "13800001111"


def test_masks_keep_the_family_name_and_hide_every_address_character():
    assert mask_name("张三丰") == "张**"
    assert mask_name("") == ""
    assert mask_address_part("12A") == "***"
