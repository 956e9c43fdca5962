"""Fixtures of the residents' pages: a signed-in resident and a running project of their community."""

import pytest

from coproduction.models import Stage
from tests import factories


@pytest.fixture
def resident():
    return factories.ResidentFactory(user=factories.UserFactory())


@pytest.fixture
def project(resident):
    """A project in operation in the resident's community, with a lead to answer complaints."""
    project = factories.ProjectFactory(community=resident.community, stage=Stage.OPERATION, name="Green space claim")
    factories.ParticipationFactory(project=project, role="lead")
    return project


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident.user)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos checked in by these tests go to a folder of the test's own, never to the platform's uploads."""
    settings.MEDIA_ROOT = tmp_path / "media"
