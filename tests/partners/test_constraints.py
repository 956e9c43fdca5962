"""Partners: unique credit codes and memberships, official posts at exactly one level, masked phones."""

import pytest

from partners.models import Membership, MembershipRole, OfficialPost, Resident, mask_phone
from tests.asserts import database_refuses
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_two_organisations_cannot_share_a_credit_code():
    first = OrganisationFactory()

    with database_refuses():
        OrganisationFactory(credit_code=first.credit_code)


def test_a_user_is_a_member_of_an_organisation_only_once():
    membership = MembershipFactory(role=MembershipRole.STAFF)

    with database_refuses():
        Membership.objects.create(
            user=membership.user, organisation=membership.organisation, role=MembershipRole.MANAGER
        )


def test_a_user_may_be_a_member_of_several_organisations():
    membership = MembershipFactory()

    MembershipFactory(user=membership.user)

    assert membership.user.memberships.count() == 2


@pytest.mark.parametrize("level", ["community", "street", "district"])
def test_an_official_post_may_name_any_one_level(level):
    community = CommunityFactory()
    scope = {"community": community, "street": community.street, "district": community.street.district}

    post = OfficialPost.objects.create(user=UserFactory(), **{level: scope[level]})

    assert getattr(post, level) == scope[level]


def test_an_official_post_naming_no_level_is_refused():
    with database_refuses():
        OfficialPost.objects.create(user=UserFactory(), title="Adrift")


@pytest.mark.parametrize("levels", [("community", "street"), ("street", "district"), ("community", "district")])
def test_an_official_post_naming_two_levels_is_refused(levels):
    community = CommunityFactory()
    scope = {"community": community, "street": community.street, "district": community.street.district}

    with database_refuses():
        OfficialPost.objects.create(user=UserFactory(), **{level: scope[level] for level in levels})


def test_an_official_holds_a_community_post_only_once():
    post = OfficialPostFactory()

    with database_refuses():
        OfficialPost.objects.create(user=post.user, community=post.community)


def test_a_phone_number_is_masked_in_the_middle():
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("phone, masked", [("", ""), ("123456", "******"), ("1381234567", "**********")])
def test_a_short_phone_number_is_masked_whole(phone, masked):
    assert mask_phone(phone) == masked


def test_a_resident_shows_a_masked_phone():
    resident = Resident(name="Wang", phone="13912345678")

    assert resident.masked_phone == "139****5678"
