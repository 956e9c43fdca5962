"""API tokens: a manager creates one (shown once), sees it masked, replaces or revokes it; staff hold none."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from tests import factories
from tests.pages import staff_of

pytestmark = pytest.mark.django_db
TOKEN = reverse("partner_portal:token")


def test_a_manager_creates_a_token_shown_once_with_a_curl_example(client, manager):
    client.force_login(manager)

    response = client.post(TOKEN, {"action": "issue"})

    token = Token.objects.get(user=manager)
    html = response.content.decode()
    assert response.status_code == 200 and token.key in html and "curl -H" in html
    assert token.key not in client.get(TOKEN).content.decode()


def test_the_token_is_shown_masked_to_its_last_four_characters(client, manager):
    token = Token.objects.create(user=manager)
    client.force_login(manager)
    html = client.get(TOKEN).content.decode()
    assert f"…{token.key[-4:]}" in html and token.key not in html


def test_replacing_the_token_disables_the_old_one_and_the_audit_names_only_the_last_four(client, manager):
    old = Token.objects.create(user=manager)
    client.force_login(manager)

    client.post(TOKEN, {"action": "issue"})

    new = Token.objects.get(user=manager)
    assert new.key != old.key
    entry = AuditEntry.objects.get(action="change", object_id=str(manager.pk))
    assert entry.before == {"api_token": f"…{old.key[-4:]}"} and entry.after == {"api_token": f"…{new.key[-4:]}"}
    assert old.key not in str(entry.before) + str(entry.after)


def test_a_manager_revokes_their_token(client, manager):
    Token.objects.create(user=manager)
    client.force_login(manager)

    response = client.post(TOKEN, {"action": "revoke"}, follow=True)

    assert not Token.objects.filter(user=manager).exists()
    assert "revoked" in response.content.decode()
    assert AuditEntry.objects.filter(action="delete", object_id=str(manager.pk)).exists()


def test_revoking_without_a_token_says_so_and_writes_nothing(client, manager):
    client.force_login(manager)
    response = client.post(TOKEN, {"action": "revoke"}, follow=True)
    assert "You hold no API token to revoke." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_staff_who_are_not_managers_cannot_create_tokens(client, provider):
    user = staff_of(provider.organisation)
    client.force_login(user)
    assert client.get(TOKEN).status_code == 403
    assert client.post(TOKEN, {"action": "issue"}).status_code == 403
    assert not Token.objects.exists()


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(TOKEN)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_token_service_refuses_users_who_manage_nothing():
    from django.core.exceptions import PermissionDenied

    from partner_portal.tokens import token_issue

    with pytest.raises(PermissionDenied):
        token_issue(user=factories.UserFactory())
    assert not Token.objects.exists()
