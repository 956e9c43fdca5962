"""Too many requests are answered 429 in the error shape, at the rates the settings give."""
import pytest

pytestmark = pytest.mark.django_db


def rates(settings, **scopes):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": scopes}


def test_a_user_over_their_rate_gets_429_with_retry_after(settings, client_for, official):
    rates(settings, anon="100/min", user="2/min")
    client = client_for(official)
    assert [client.get("/api/v1/projects/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/projects/")
    assert response.status_code == 429
    assert response.data["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_anonymous_callers_of_open_endpoints_are_throttled_by_the_anon_rate(settings, client_for):
    rates(settings, anon="1/min", user="100/min")
    client = client_for()
    assert client.get("/api/schema/").status_code == 200
    response = client.get("/api/schema/")
    assert response.status_code == 429
    assert response.data["code"] == "throttled"


def test_each_user_has_their_own_count(settings, client_for, official, resident):
    rates(settings, anon="100/min", user="1/min")
    assert client_for(official).get("/api/v1/projects/").status_code == 200
    assert client_for(resident.user).get("/api/v1/projects/").status_code == 200
