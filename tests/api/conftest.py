"""Fixtures of the API tests: clients signed in as each role, and a clean throttle cache."""

import pytest
from rest_framework.test import APIClient

from partners.models import MembershipRole
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OfficialPostFactory,
    ResidentFactory,
    UserFactory,
)
from tests.throttle_counts import clear_throttle_counts, stop_throttle_clock


@pytest.fixture(autouse=True)
def clean_throttle_counts(monkeypatch):
    """Throttle counters live in the cache; each test starts with none, on a stopped clock."""
    stop_throttle_clock(monkeypatch)
    clear_throttle_counts()
    yield
    clear_throttle_counts()


@pytest.fixture
def client_for():
    """An API client signed in (by session) as the given user; anonymous without one."""

    def build(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return build


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def other_community():
    return CommunityFactory()


@pytest.fixture
def official(community):
    return OfficialPostFactory(community=community).user


@pytest.fixture
def resident(community):
    return ResidentFactory(community=community, user=UserFactory())


@pytest.fixture
def manager_of():
    def build(organisation):
        return MembershipFactory(organisation=organisation, role=MembershipRole.MANAGER).user

    return build


@pytest.fixture
def administrator():
    return UserFactory(is_superuser=True, is_staff=True)
