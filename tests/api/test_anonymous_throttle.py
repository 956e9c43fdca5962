"""Callers without valid credentials are throttled per address, although the API refuses them (401) first."""

import pytest

pytestmark = pytest.mark.django_db

RATE = 30  # anonymous requests a minute, per address


@pytest.fixture(autouse=True)
def anon_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": f"{RATE}/min", "user": "600/min"},
    }


def statuses(client, path="/api/v1/projects/", times=RATE, **headers) -> list[int]:
    return [client.get(path, **headers).status_code for _ in range(times)]


def test_anonymous_callers_of_an_endpoint_that_needs_a_login_get_429_over_the_rate(client_for):
    client = client_for()
    assert statuses(client) == [401] * RATE
    response = client.get("/api/v1/projects/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["errors"] == {}
    assert int(response["Retry-After"]) > 0


def test_callers_with_a_made_up_token_get_429_over_the_rate(client_for):
    client = client_for()
    made_up = {"HTTP_AUTHORIZATION": "Token 0123456789abcdef0123456789abcdef01234567"}
    assert statuses(client, **made_up) == [401] * RATE
    response = client.get("/api/v1/duties/", **made_up)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_anonymous_and_made_up_token_requests_from_one_address_share_one_count(client_for):
    client = client_for()
    assert statuses(client, times=RATE // 2) == [401] * (RATE // 2)
    assert statuses(client, "/api/v1/tasks/", times=RATE - RATE // 2, HTTP_AUTHORIZATION="Token nonsense") == (
        [401] * (RATE - RATE // 2)
    )
    assert client.get("/api/v1/projects/").status_code == 429


def test_another_address_has_its_own_count(client_for):
    client = client_for()
    statuses(client, times=RATE + 1)
    assert client.get("/api/v1/projects/", REMOTE_ADDR="10.0.0.7").status_code == 401


def test_a_signed_in_user_at_a_throttled_address_is_counted_apart(client_for, official):
    statuses(client_for(), times=RATE + 1)
    assert client_for(official).get("/api/v1/projects/").status_code == 200


def test_under_the_rate_the_refusal_is_still_a_logged_401(client_for, caplog):
    response = client_for().get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "access_refused" in caplog.text
