"""Fixtures of the public pages' tests: a community with one awarded project on public record."""

import pytest

from tests import factories
from tests.transparency.public_record import awarded_project


@pytest.fixture
def community():
    return factories.CommunityFactory(name="Houtai", code="houtai")


@pytest.fixture
def project(community):
    return awarded_project(community)
