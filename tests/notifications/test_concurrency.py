"""Two workers at once, on PostgreSQL: each mail sent by one of them only, each event written once."""

import threading
import time

import pytest
from django.db import connection

from common.actors import TRUSTED
from notifications import channels
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services.delivery import deliveries_send_due
from notifications.services.notify import notify
from tests import factories
from tests.needs import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(target, count=2):
    """Run `target` in `count` threads started together; each closes its own database connection."""
    start = threading.Barrier(count)
    results = []

    def run():
        try:
            start.wait()
            results.append(target())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_workers_never_send_the_same_mail(monkeypatch):
    require_postgresql("SELECT … FOR UPDATE SKIP LOCKED is what keeps two workers apart")
    people = factories.UserFactory.create_batch(12, email="x@example.org")
    for n, person in enumerate(people):
        notify(recipients=[person], kind="test_answered", key=f"k{n}", params={"count": n}, url="/", user=TRUSTED)
    sent: list[int] = []

    class Slow:
        def send(self, delivery):
            time.sleep(0.05)  # long enough for the other worker to reach the next row meanwhile
            sent.append(delivery.pk)

    monkeypatch.setitem(channels.CHANNELS, "email", Slow())
    results = in_threads(deliveries_send_due)
    assert sorted(sent) == sorted(Delivery.objects.values_list("pk", flat=True))  # each once
    assert all(result["sent"] > 0 for result in results)  # and both workers did part of it
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_the_same_event_notified_by_two_workers_at_once_is_written_once():
    require_postgresql("two writers at once need a database that lets them")
    person = factories.UserFactory(email="x@example.org")
    in_threads(
        lambda: notify(recipients=[person], kind="test_answered", key="same", params={}, url="/", user=TRUSTED), 4
    )
    assert Notification.objects.filter(key="same").count() == 1
    assert Delivery.objects.count() == 1
