"""/healthz: 200 while the platform can serve, 503 when the database is down, naming what is down."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def healthz():
    response = Client().get("/healthz")
    return response.status_code, response.json()


def test_with_everything_up_it_answers_200_ok():
    assert healthz() == (200, {"status": "ok", "down": []})


def test_without_the_database_it_answers_503_naming_it():
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused")):
        assert healthz() == (503, {"status": "unavailable", "down": ["database"]})


def test_without_the_broker_it_is_degraded_but_answers_200(unreachable_broker):
    assert healthz() == (200, {"status": "degraded", "down": ["broker"]})


def test_without_the_cache_it_is_degraded_but_answers_200(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert healthz() == (200, {"status": "degraded", "down": ["cache"]})


def test_with_everything_down_it_names_all_three(settings, unreachable_broker):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused")):
        assert healthz() == (503, {"status": "unavailable", "down": ["database", "cache", "broker"]})
