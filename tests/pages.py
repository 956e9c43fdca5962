"""Helpers for the page tests (web, dashboard, portals, public pages): people in their roles,
a signed-in client, and the number of queries a page makes.

    client.force_login(official_of(community))
    assert queries_to_get(client, url_small) == queries_to_get(client, url_large)
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import MembershipRole
from tests.factories import MembershipFactory, OfficialPostFactory, ResidentFactory, UserFactory


def official_of(community):
    """A user with an official post over this one community."""
    return OfficialPostFactory(community=community).user


def street_official_of(street):
    return OfficialPostFactory(community=None, street=street).user


def manager_of(organisation):
    return MembershipFactory(organisation=organisation, role=MembershipRole.MANAGER).user


def staff_of(organisation):
    return MembershipFactory(organisation=organisation, role=MembershipRole.STAFF).user


def resident_user_of(community):
    """A user with a resident record in this community."""
    return ResidentFactory(community=community, user=UserFactory()).user


def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


def queries_to_get(client, url: str) -> int:
    """How many queries GET `url` makes (the page must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
