"""Fixtures of the notification tests: two kinds of their own, and a resident who receives them."""

import pytest
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from tests import factories

# Titles whose msgids are in the catalogue, so a mail "in Chinese" really is.
ANSWERED = kinds.Kind(
    code="test_answered",
    label=_("Notifications"),
    title=_("Your daily digest: %(count)s notifications"),
    audience="resident",
)
OTHER = kinds.Kind(code="test_other", label=_("Unsubscribe"), title=_("Unread"), audience="resident")


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch):
    monkeypatch.setitem(kinds.KINDS, ANSWERED.code, ANSWERED)
    monkeypatch.setitem(kinds.KINDS, OTHER.code, OTHER)


@pytest.fixture
def person():
    """A resident with an e-mail address."""
    return factories.ResidentFactory(user=factories.UserFactory(email="li@example.org")).user


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client
