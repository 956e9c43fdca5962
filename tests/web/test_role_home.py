"""`/` sends each user to the home of their role."""

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import administrator, official_of, resident_user_of, staff_of

pytestmark = pytest.mark.django_db


def home_of(client, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    return response.url


def test_visitors_land_on_the_public_pages(client):
    assert home_of(client) == reverse("transparency:home")


def test_administrators_land_on_the_dashboard(client):
    assert home_of(client, administrator()) == reverse("dashboard:home")


def test_officials_land_on_the_dashboard(client):
    assert home_of(client, official_of(factories.CommunityFactory())) == reverse("dashboard:home")


def test_organisation_staff_land_on_the_partner_portal(client):
    assert home_of(client, staff_of(factories.OrganisationFactory())) == reverse("partner_portal:home")


def test_residents_land_on_their_portal(client):
    assert home_of(client, resident_user_of(factories.CommunityFactory())) == reverse("resident_portal:home")


def test_a_user_with_several_roles_lands_on_the_first_of_official_staff_resident(client):
    user = resident_user_of(factories.CommunityFactory())
    factories.MembershipFactory(user=user)
    assert home_of(client, user) == reverse("partner_portal:home")
    factories.OfficialPostFactory(user=user)
    assert home_of(client, user) == reverse("dashboard:home")


def test_a_signed_in_user_without_a_role_lands_on_the_public_pages(client):
    assert home_of(client, factories.UserFactory()) == reverse("transparency:home")
