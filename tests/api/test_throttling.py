"""Too many requests are answered 429 in the error shape, at the rates the settings give."""

import time

import pytest
from django.core.cache import cache
from redis.connection import Connection as RedisConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.api import UserThrottle
from tests.needs import require_redis
from tests.throttle_counts import clear_throttle_counts

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


def test_the_count_starts_again_with_the_next_window_and_retry_after_names_its_start(
    settings, client_for, official, monkeypatch
):
    rates(settings, anon="100/min", user="2/min")
    now = [6000.0 * 60 + 50]  # 50 s into a minute
    monkeypatch.setattr(UserThrottle, "timer", lambda self: now[0])
    client = client_for(official)
    assert [client.get("/api/v1/projects/").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/projects/")["Retry-After"] == "10"
    now[0] += 10  # the next minute
    assert client.get("/api/v1/projects/").status_code == 200


def test_a_caller_s_count_is_one_number_in_the_cache_for_its_window(settings, client_for, official, monkeypatch):
    rates(settings, anon="100/min", user="5/min")
    now = time.time()
    monkeypatch.setattr(UserThrottle, "timer", lambda self: now)
    client = client_for(official)
    for _ in range(3):
        client.get("/api/v1/projects/")
    assert cache.get(f"throttle_user_{official.pk}:{int(now // 60)}") == 3


def test_without_the_cache_requests_go_through_uncounted(settings, client_for, official, monkeypatch, caplog):
    rates(settings, anon="100/min", user="1/min")

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr("common.api._count_one_more", unreachable)
    client = client_for(official)
    assert [client.get("/api/v1/projects/").status_code for _ in range(3)] == [200, 200, 200]
    assert "the cache is unreachable" in caplog.text


def _round_trips_to_redis(monkeypatch) -> list:
    sent = []
    original = RedisConnection.send_packed_command

    def counted(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(RedisConnection, "send_packed_command", counted)
    return sent


def test_on_redis_a_request_is_counted_in_one_round_trip(settings, official, monkeypatch):
    require_redis("the counter's round trips are Redis's")
    rates(settings, anon="100/min", user="100/min")
    request = Request(APIRequestFactory().get("/api/v1/projects/"))
    request.user = official
    UserThrottle().allow_request(request, None)  # the connection is open before counting
    sent = _round_trips_to_redis(monkeypatch)
    assert UserThrottle().allow_request(request, None)
    assert len(sent) == 1


def test_the_redis_cache_keeps_one_client_for_its_connections():
    require_redis("the client is Redis's")
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.set("kept-client-check", 7, 5)
    assert cache.get("kept-client-check") == 7


def test_the_suite_empties_only_the_throttle_counters_of_a_shared_redis():
    require_redis("the keys are Redis's")
    cache.set("throttle_user_1:1", 3, 60)
    cache.set("platform-session-data", "kept", 60)

    clear_throttle_counts()

    assert cache.get("throttle_user_1:1") is None
    assert cache.get("platform-session-data") == "kept"
    cache.delete("platform-session-data")
