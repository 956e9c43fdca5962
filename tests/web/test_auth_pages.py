"""Login, and password reset by e-mail, on the platform's own pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db


def test_the_login_page_has_labelled_fields(client):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'href="/accounts/password-reset/"' in html


def test_a_wrong_password_is_shown_at_the_top_and_the_username_kept(client):
    factories.UserFactory(username="ann")
    response = client.post(reverse("login"), {"username": "ann", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "Please enter a correct username and password" in html
    assert 'value="ann"' in html
    assert "_auth_user_id" not in client.session


def test_signing_in_leads_to_the_role_home(client):
    user = official_of(factories.CommunityFactory())
    user.set_password("pass-for-tests-2026")
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": "pass-for-tests-2026"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(response.url).url == reverse("dashboard:home")


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = factories.UserFactory(email="ann@example.org")
    user.set_password("the-old-pass-2026")  # Django mails no link to accounts without a usable password
    user.save()
    response = client.post(reverse("password_reset"), {"email": "ann@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your password on the community service coproduction platform"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "a-New-pass-2026", "new_password2": "a-New-pass-2026"}
    )
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-New-pass-2026")


def test_a_used_reset_link_says_so(client):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))
    assert b"already been used or has expired" in response.content


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(client):
    user = factories.UserFactory()
    user.set_password("the-old-pass-2026")
    user.save()
    client.force_login(user)
    assert 'href="/accounts/password-change/"' in client.get(reverse("password_change")).content.decode()

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "the-old-pass-2026",
            "new_password1": "a-New-pass-2026",
            "new_password2": "a-New-pass-2026",
        },
    )

    assert response.status_code == 302 and response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("a-New-pass-2026")
    assert client.get(reverse("password_change_done")).status_code == 200


def test_a_wrong_old_password_changes_nothing_and_says_why(client):
    user = factories.UserFactory()
    user.set_password("the-old-pass-2026")
    user.save()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-it",
            "new_password1": "a-New-pass-2026",
            "new_password2": "a-New-pass-2026",
        },
    )

    assert response.status_code == 200 and b"Your old password was entered incorrectly" in response.content
    user.refresh_from_db()
    assert user.check_password("the-old-pass-2026")


def test_changing_a_password_needs_a_signed_in_user(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
