"""Who a user is: official posts cover the communities below them, managers act for organisations."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from partners import roles
from partners.models import Community, MembershipRole, Organisation, Resident
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
def territory():
    """Two streets of one district; street A has two communities, street B one."""
    street_a = StreetFactory()
    street_b = StreetFactory(district=street_a.district)
    return {
        "a1": CommunityFactory(street=street_a),
        "a2": CommunityFactory(street=street_a),
        "b1": CommunityFactory(street=street_b),
        "street_a": street_a,
        "district": street_a.district,
    }


def test_a_community_official_oversees_only_that_community(territory):
    post = OfficialPostFactory(community=territory["a1"])

    assert set(roles.official_communities(post.user)) == {territory["a1"]}
    assert roles.is_official_for(post.user, territory["a1"])
    assert not roles.is_official_for(post.user, territory["a2"])


def test_a_street_official_oversees_every_community_of_the_street(territory):
    post = OfficialPostFactory(community=None, street=territory["street_a"])

    assert set(roles.official_communities(post.user)) == {territory["a1"], territory["a2"]}


def test_a_district_official_oversees_everything_below(territory):
    post = OfficialPostFactory(community=None, district=territory["district"])

    assert set(roles.official_communities(post.user)) == {territory["a1"], territory["a2"], territory["b1"]}


def test_a_user_may_hold_several_roles_at_once(territory):
    user = UserFactory()
    OfficialPostFactory(user=user, community=territory["a1"])
    MembershipFactory(user=user, role=MembershipRole.MANAGER)
    ResidentFactory(user=user, community=territory["a1"])

    assert roles.roles_of(user) == {"official", "staff", "manager", "resident"}


def test_only_a_manager_may_act_for_an_organisation():
    staff = MembershipFactory(role=MembershipRole.STAFF)
    manager = MembershipFactory(organisation=staff.organisation, role=MembershipRole.MANAGER)

    assert roles.is_member_of(staff.user, staff.organisation)
    assert not roles.can_act_for(staff.user, staff.organisation)
    assert roles.can_act_for(manager.user, staff.organisation)
    with pytest.raises(PermissionDenied):
        roles.require_can_act_for(staff.user, staff.organisation)


def test_an_administrator_may_do_everything(territory):
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert roles.is_official_for(admin, territory["b1"])
    assert roles.can_act_for(admin, OrganisationFactory())
    assert roles.roles_of(admin) == {"administrator"}


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_anonymous_users_hold_no_role(user, territory):
    assert roles.roles_of(user) == set()
    assert not roles.official_communities(user).exists()
    assert not roles.organisations_of(user).exists()
    with pytest.raises(PermissionDenied):
        roles.require_official_for(user, territory["a1"])


def test_a_deactivated_official_loses_the_post(territory):
    post = OfficialPostFactory(community=territory["a1"], user__is_active=False)

    assert not roles.is_official_for(post.user, territory["a1"])


def test_residents_see_their_own_record_and_officials_their_communities_residents(territory):
    own = ResidentFactory(community=territory["a1"], user=UserFactory())
    neighbour = ResidentFactory(community=territory["a1"])
    elsewhere = ResidentFactory(community=territory["b1"])
    official = OfficialPostFactory(community=territory["a1"]).user

    assert set(Resident.objects.visible_to(own.user)) == {own}
    assert set(Resident.objects.visible_to(official)) == {own, neighbour}
    assert elsewhere not in Resident.objects.visible_to(official)


def test_communities_visible_to_an_official_are_those_of_the_post(territory):
    official = OfficialPostFactory(community=territory["a2"]).user

    assert set(Community.objects.visible_to(official)) == {territory["a2"]}
    assert not Community.objects.visible_to(AnonymousUser()).exists()


def test_the_organisation_register_is_open_to_every_signed_in_user():
    organisation = OrganisationFactory()

    assert organisation in Organisation.objects.visible_to(UserFactory())
    assert not Organisation.objects.visible_to(AnonymousUser()).exists()
