"""/api/v1/notifications/: a person's own notifications, marking one or all read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from common.actors import TRUSTED
from notifications.models import Notification
from notifications.services.notify import notify
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


def send(person, key, kind="test_answered"):
    notify(recipients=[person], kind=kind, key=key, params={"count": 3}, url="/me/", user=TRUSTED)


@pytest.fixture
def api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_anonymous_callers_are_refused(person):
    assert APIClient().get(URL).status_code == 401


def test_the_list_holds_only_the_callers_own(api, person):
    send(person, "mine")
    send(factories.UserFactory(), "theirs")
    body = api.get(URL).json()
    assert [row["title"] for row in body["results"]] == ["Your daily digest: 3 notifications"]
    assert body["results"][0]["kind_label"] == "Notifications" and body["results"][0]["read_at"] is None


def test_filters(api, person):
    send(person, "a")
    send(person, "b", kind="test_other")
    Notification.objects.filter(key="a").update(read_at="2026-01-01T00:00Z")
    assert [row["kind"] for row in api.get(URL, {"kind": "test_other"}).json()["results"]] == ["test_other"]
    assert [row["kind"] for row in api.get(URL, {"unread": "true"}).json()["results"]] == ["test_other"]


def test_mark_one_read_and_anothers_is_not_found(api, person):
    send(person, "mine")
    send(factories.UserFactory(), "theirs")
    mine, theirs = Notification.objects.get(key="mine"), Notification.objects.get(key="theirs")
    response = api.post(f"{URL}{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert api.post(f"{URL}{theirs.pk}/read/").status_code == 404
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(api, person):
    send(person, "a")
    send(person, "b")
    send(factories.UserFactory(), "theirs")
    assert api.post(f"{URL}read-all/").json() == {"marked_read": 2}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_list_makes_the_same_number_of_queries_for_many_rows(api, person):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL).status_code == 200
        return len(captured)

    send(person, "first")
    few = queries()
    for n in range(30):
        send(person, f"k{n}")
    assert queries() == few
