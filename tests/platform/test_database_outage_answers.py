"""While the database cannot be reached, the API answers 503 in its error shape and the pages a plain 503 page.

The database is made unreachable by making every query raise what the driver raises when PostgreSQL
is down; tests/reliability/test_database_outage.py stops a real PostgreSQL.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNAVAILABLE = {
    "message": "The platform is temporarily unavailable. Please try again in a minute.",
    "code": "service_unavailable",
    "errors": {},
}


CONNECTION_LOST = OperationalError("server closed the connection unexpectedly")


@contextmanager
def database_unavailable(error=CONNECTION_LOST):
    with (
        mock.patch.object(CursorWrapper, "execute", side_effect=error),
        mock.patch.object(CursorWrapper, "executemany", side_effect=error),
    ):
        yield


@pytest.fixture
def token():
    return Token.objects.create(user=UserFactory(is_superuser=True, is_staff=True)).key


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("could not connect to server: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_the_api_answers_503_in_its_error_shape_with_retry_after(token, error):
    with database_unavailable(error):
        response = Client().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE
    assert response["Retry-After"] == "30"


def test_a_write_to_the_api_answers_503_as_well(token):
    with database_unavailable():
        response = Client().post(
            "/api/v1/ratings/", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_a_page_answers_the_503_page_with_retry_after():
    with database_unavailable():
        response = Client().get("/public/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in response.content.decode()


def test_the_503_page_speaks_the_caller_s_language():
    with database_unavailable():
        response = Client().get("/public/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert "暂时无法访问" in response.content.decode()


def test_a_signed_in_official_s_page_answers_the_503_page():
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with database_unavailable():
        response = client.get("/dashboard/")
    assert response.status_code == 503


def test_the_outage_is_logged_in_one_line(caplog):
    with database_unavailable():
        Client().get("/public/")
    assert "Answered 503: the database is unavailable (OperationalError: server closed" in caplog.text


def test_the_next_request_after_the_database_answers_again_succeeds(token):
    with database_unavailable():
        assert Client().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 503
    assert Client().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


class QueriesBeforeTheView:
    """A middleware that reads the database before any view runs (as the session and axes' may)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return self.get_response(request)


class FailsBeforeTheView(QueriesBeforeTheView):
    def __call__(self, request):
        raise RuntimeError("a bug in a middleware")


@pytest.fixture
def middleware_first(settings):
    def put(middleware):
        settings.MIDDLEWARE = [f"{__name__}.{middleware.__name__}", *settings.MIDDLEWARE]

    return put


def test_a_middleware_that_finds_the_database_unavailable_answers_503_as_well(middleware_first):
    middleware_first(QueriesBeforeTheView)
    client = Client(raise_request_exception=False)
    with database_unavailable():
        api, page = client.get("/api/v1/projects/"), client.get("/public/")
    assert (api.status_code, api.json(), api["Retry-After"]) == (503, UNAVAILABLE, "30")
    assert (page.status_code, page["Retry-After"]) == (503, "30")
    assert "Temporarily unavailable" in page.content.decode()


def test_any_other_fault_is_a_500_in_the_api_s_shape_and_the_500_page_elsewhere(middleware_first):
    middleware_first(FailsBeforeTheView)
    client = Client(raise_request_exception=False)
    api, page = client.get("/api/v1/projects/"), client.get("/public/")
    assert api.status_code == 500
    assert api.json() == {"message": "A server error occurred.", "code": "server_error", "errors": {}}
    assert page.status_code == 500
    assert "Something went wrong" in page.content.decode()
