"""Repeated failed sign-ins lock one username from one address for the cool-off (django-axes),
on the login page and the admin's; the API takes no password at all."""

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.authtoken.models import Token

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-2026"
OFFICE = "203.0.113.7"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ann():
    user = factories.UserFactory(username="ann")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(password, username="ann", address=OFFICE, url="/accounts/login/", **headers):
    client = Client(REMOTE_ADDR=address)
    response = client.post(url, {"username": username, "password": password}, **headers)
    return client, response


def fail(times, **where) -> list[int]:
    """Sign in with a wrong password `times` times; the status of each answer."""
    return [sign_in("wrong", **where)[1].status_code for _ in range(times)]


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_locks_the_username_from_that_address_even_with_the_right_password(ann, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(5) == [200, 200, 200, 200, 429]  # the form with its error, then the lockout

    client, response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Sign-in locked" in page and "5 failed attempts" in page and "locked for 15 minutes" in page
    assert 'href="/accounts/password-reset/"' in page


def test_the_same_username_from_another_address_is_not_locked(ann):
    fail(4)
    sign_in("wrong")
    client, response = sign_in(PASSWORD, address="198.51.100.20")
    assert response.status_code == 302 and signed_in(client)


def test_another_username_from_the_locked_address_is_not_locked(ann):
    bob = factories.UserFactory(username="bob")
    bob.set_password(PASSWORD)
    bob.save()
    fail(5)
    client, response = sign_in(PASSWORD, username="bob")
    assert response.status_code == 302 and signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again(ann):
    fail(4)
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    fail(4)
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_lifts_after_the_cool_off(ann, settings):
    fail(5)
    assert sign_in(PASSWORD)[1].status_code == 429
    past = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save(update_fields=["attempt_time"])
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_limit_and_cool_off_come_from_the_settings(ann, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    assert fail(1) == [200]
    _, response = sign_in("wrong")
    assert response.status_code == 429
    assert "2 failed attempts" in response.content.decode() and "30 minutes" in response.content.decode()


def test_the_lockout_page_speaks_chinese_to_a_chinese_browser(ann, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    fail(4)
    _, response = sign_in("wrong", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="zh-hans"' in page and "登录已锁定" in page and "锁定 15 分钟" in page.replace("\n", "")


def test_the_admin_login_counts_and_locks_too():
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    for _ in range(4):
        assert sign_in("wrong", username="root", url="/admin/login/")[1].status_code == 200
    client, response = sign_in(PASSWORD, username="root", url="/admin/login/")
    assert response.status_code == 302 and signed_in(client)  # below the limit the admin signs in

    for _ in range(4):
        sign_in("wrong", username="root", url="/admin/login/")
    sign_in("wrong", username="root")  # both login pages count towards one limit
    client, response = sign_in(PASSWORD, username="root", url="/admin/login/")
    assert response.status_code == 429 and not signed_in(client)


def test_the_api_accepts_no_password_so_there_is_nothing_to_guess(ann):
    """Its callers sign in on the login page (session) or present a token; HTTP Basic is not offered."""
    client = Client(REMOTE_ADDR=OFFICE)
    response = client.get("/api/v1/projects/", HTTP_AUTHORIZATION=basic("ann", PASSWORD))
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_lockout_does_not_stop_the_token_of_the_users_own_systems(ann):
    token = Token.objects.create(user=ann)
    fail(5)
    response = Client(REMOTE_ADDR=OFFICE).get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
