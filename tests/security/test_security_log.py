"""Failed sign-ins, lockouts and refused authorisations are logged on "coproduction.security"
with who, what, when and where, and never with a password or a token."""

import logging

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.security_log import client_ip
from tests import factories
from tests.pages import official_of, resident_user_of
from tests.throttle_counts import clear_throttle_counts, stop_throttle_clock

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-Horse-2026"
ADDRESS = "198.51.100.4"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def security_log(caplog):
    """The records of the security log, as the dict each carries in `security`."""
    caplog.set_level(logging.INFO, logger="coproduction.security")

    def records(event=None):
        found = [r for r in caplog.records if r.name == "coproduction.security"]
        return [r.security for r in found if event is None or r.security["event"] == event]

    return records


def test_a_failed_sign_in_says_who_was_tried_from_where_and_when(security_log, caplog):
    factories.UserFactory(username="ann")
    before = timezone.now()
    Client(REMOTE_ADDR=ADDRESS).post("/accounts/login/", {"username": "ann", "password": PASSWORD})

    [record] = security_log("login_failed")
    assert record["who"] == "ann" and record["ip"] == ADDRESS
    assert record["method"] == "POST" and record["path"] == "/accounts/login/"
    assert timezone.datetime.fromisoformat(record["at"]) >= before
    assert PASSWORD not in caplog.text


def test_a_lockout_is_logged_as_an_error_with_the_username_and_address(security_log, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        Client(REMOTE_ADDR=ADDRESS).post("/admin/login/", {"username": "root", "password": PASSWORD})

    [record] = security_log("login_locked_out")
    assert record["who"] == "root" and record["ip"] == ADDRESS and record["path"] == "/admin/login/"
    assert "2 failures" in record["reason"]
    assert [failure["reason"] for failure in security_log("login_failed")] == ["bad credentials", "locked out"]


def test_a_typed_username_cannot_forge_a_log_line(security_log, caplog):
    Client().post("/accounts/login/", {"username": "ann\nERROR forged", "password": "x"})
    assert security_log("login_failed")[0]["who"] == "ann\nERROR forged"
    assert "\nERROR forged" not in caplog.text and "ann\\nERROR forged" in caplog.text


def test_a_page_refused_to_a_signed_in_user_is_logged_with_the_user_and_the_reason(security_log, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    user = resident_user_of(factories.CommunityFactory())
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user)
    assert client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-Hans").status_code == 403

    [record] = security_log("access_refused")
    assert record["who"] == f"{user.pk}:{user.username}"
    assert (record["method"], record["path"], record["ip"]) == ("GET", "/dashboard/", ADDRESS)
    # In English for whoever reads the log, whatever the user's language.
    assert record["reason"] == "403 This page is for community and street officials."


def test_an_anonymous_visitor_sent_to_the_login_page_is_not_a_refusal(security_log):
    assert Client().get("/dashboard/").status_code == 302
    assert security_log() == []


def test_an_api_call_without_credentials_is_logged_as_anonymous_401(security_log):
    APIClient(REMOTE_ADDR=ADDRESS).get("/api/v1/projects/")
    [record] = security_log("access_refused")
    assert record["who"] == "anonymous" and record["path"] == "/api/v1/projects/"
    assert record["reason"].startswith("401 not_authenticated")


def test_a_bad_token_is_logged_without_the_token(security_log, caplog):
    token = "0123456789abcdef0123456789abcdef01234567"
    APIClient().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}")
    [record] = security_log("access_refused")
    assert record["reason"].startswith("401 authentication_failed")
    assert token not in caplog.text


def test_an_api_action_refused_to_a_signed_in_user_is_logged_as_403(security_log):
    community = factories.CommunityFactory()
    official = official_of(community)
    task = factories.TaskFactory(project=factories.ProjectFactory(community=community))
    client = APIClient()
    client.force_authenticate(official)
    assert client.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 403

    [record] = security_log("access_refused")
    assert record["who"] == f"{official.pk}:{official.username}" and record["method"] == "POST"
    assert record["reason"].startswith("403 permission_denied")


def test_a_token_user_refused_an_action_is_named_and_the_token_is_not_logged(security_log, caplog):
    community = factories.CommunityFactory()
    official = official_of(community)
    task = factories.TaskFactory(project=factories.ProjectFactory(community=community))
    token = Token.objects.create(user=official)
    response = APIClient().post(f"/api/v1/tasks/{task.pk}/claim/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403

    [record] = security_log("access_refused")
    assert record["who"] == f"{official.pk}:{official.username}"
    assert token.key not in caplog.text


def test_the_address_is_the_one_the_trusted_proxies_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy: a client-sent header is ignored
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the entry our proxy appended, not the forged one
    settings.PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer hops than proxies: the header is not trusted


def test_what_is_not_an_address_is_never_taken_for_one(settings):
    settings.PROXY_COUNT = 1
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")
    assert client_ip(garbage) == "10.0.0.2"
    built_in_code = RequestFactory().get("/")
    del built_in_code.META["REMOTE_ADDR"]
    assert client_ip(built_in_code) is None  # axes then stores no address rather than failing


def test_a_forged_forwarded_header_does_not_buy_more_api_requests(settings, monkeypatch):
    """The API's anonymous throttle counts the same address (REST_FRAMEWORK NUM_PROXIES = PROXY_COUNT)."""
    stop_throttle_clock(monkeypatch)
    clear_throttle_counts()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "9/min"}}
    client = APIClient(REMOTE_ADDR=ADDRESS)
    assert client.get("/api/schema/", HTTP_X_FORWARDED_FOR="6.6.6.1").status_code == 200
    assert client.get("/api/schema/", HTTP_X_FORWARDED_FOR="6.6.6.2").status_code == 429
