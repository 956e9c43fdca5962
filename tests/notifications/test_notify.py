"""notify(): one notification per person and event, and an e-mail queued only for those who want it now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.actors import TRUSTED
from notifications.models import Delivery, DeliveryStatus, EmailChoice, Notification, Preference
from notifications.services.notify import notify
from tests import factories

pytestmark = pytest.mark.django_db


def send(recipients, key="answered:1", kind="test_answered"):
    return notify(recipients=recipients, kind=kind, key=key, params={"count": 3}, url="/me/", user=TRUSTED)


def test_a_notification_and_its_email_are_written_and_the_send_enqueued(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert send([person]) == 1
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.params) == (person, "test_answered", {"count": 3})
    delivery = Delivery.objects.get()
    assert (delivery.notification, delivery.status, delivery.attempts) == (notification, DeliveryStatus.QUEUED, 0)
    assert len(callbacks) == 1  # the send task, after commit


def test_the_same_event_notified_twice_is_written_once(person):
    assert send([person]) == 1
    assert send([person, person]) == 0
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_second_recipient_of_the_same_event_is_added(person):
    other = factories.UserFactory(email="wang@example.org")
    send([person])
    assert send([person, other]) == 1
    assert Notification.objects.filter(key="answered:1").count() == 2 and Delivery.objects.count() == 2


def test_different_events_are_different_notifications(person):
    send([person], key="answered:1")
    send([person], key="answered:2")
    assert Notification.objects.count() == 2


def test_no_email_without_an_address_or_when_the_kind_is_not_immediate(person):
    no_address = factories.UserFactory(email="")
    digest = factories.UserFactory(email="d@example.org")
    off = factories.UserFactory(email="o@example.org")
    Preference.objects.create(user=digest, kind="test_answered", email=EmailChoice.DIGEST)
    Preference.objects.create(user=off, kind="test_answered", email=EmailChoice.OFF)
    Preference.objects.create(user=person, kind="test_other", email=EmailChoice.OFF)  # another kind: no effect
    assert send([person, no_address, digest, off]) == 4
    assert Notification.objects.count() == 4
    assert list(Delivery.objects.values_list("notification__recipient", flat=True)) == [person.pk]


def test_inactive_accounts_are_not_notified(person):
    person.is_active = False
    person.save()
    assert send([person]) == 0 and not Notification.objects.exists()


def test_an_unknown_kind_is_a_programming_error(person):
    with pytest.raises(ValueError, match="nope"):
        send([person], kind="nope")


def test_the_number_of_queries_does_not_grow_with_the_recipients():
    def count(n, key):
        people = factories.UserFactory.create_batch(n, email="x@example.org")
        with CaptureQueriesContext(connection) as queries:
            send(people, key=key)
        return len(queries)

    assert count(2, "a") == count(30, "b")
