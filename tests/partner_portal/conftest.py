"""Fixtures of the partner portal's page tests: a provider organisation on a running project, its people."""

import pytest

from coproduction.models import ParticipationRole
from tests import factories
from tests.pages import manager_of, staff_of


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded attachments land in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def provider():
    """A provider's participation in a project in operation (2025-01-01 to 2027-12-31)."""
    return factories.ParticipationFactory(role=ParticipationRole.PROVIDER, organisation__name="Sunshine NGO")


@pytest.fixture
def staff(provider):
    return staff_of(provider.organisation)


@pytest.fixture
def manager(provider):
    return manager_of(provider.organisation)
