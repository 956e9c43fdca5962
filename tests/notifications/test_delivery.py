"""Sending the outbox: each mail once, failures kept with their reason and retried; daily digests; languages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from common.actors import TRUSTED
from notifications import channels
from notifications.models import (
    Delivery,
    DeliveryStatus,
    DigestMail,
    EmailChoice,
    Notification,
    Preference,
    UserLanguage,
)
from notifications.services.delivery import (
    MAX_ATTEMPTS,
    backoff,
    deliveries_send_due,
    digests_prepare,
    digests_send_due,
)
from notifications.services.notify import notify
from notifications.tasks import send_daily_digests, send_due_deliveries
from tests import factories

pytestmark = pytest.mark.django_db


def send(person, key="answered:1", kind="test_answered", url="/me/"):
    return notify(recipients=[person], kind=kind, key=key, params={"count": 3}, url=url, user=TRUSTED)


class Down:
    """A channel whose server refuses every message."""

    def send(self, delivery):
        raise channels.ChannelError("SMTPServerDisconnected: Connection unexpectedly closed")


def test_a_queued_mail_is_sent_once(person):
    send(person)
    assert deliveries_send_due() == {"sent": 1, "failed": 0}
    assert deliveries_send_due() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.org"]
    assert message.subject == "Your daily digest: 3 notifications"
    assert "http://localhost:8000/me/" in message.body
    assert "/notifications/unsubscribe/" in message.body and "/notifications/preferences/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.SENT, 1, None)
    assert delivery.sent_at is not None


def test_a_failure_is_recorded_with_its_reason_and_retried_later(person, monkeypatch):
    send(person)
    monkeypatch.setitem(channels.CHANNELS, "email", Down())
    now = timezone.now()
    assert deliveries_send_due(now=now) == {"sent": 0, "failed": 1}
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "Connection unexpectedly closed" in delivery.last_error
    assert delivery.next_attempt_at == now + backoff(1)
    # Not due again before its backoff has passed, even though the server is back.
    monkeypatch.setitem(channels.CHANNELS, "email", channels.EMAIL)
    assert deliveries_send_due(now=now + backoff(1) - timedelta(seconds=1)) == {"sent": 0, "failed": 0}
    assert deliveries_send_due(now=now + backoff(1)) == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")


def test_the_backoff_doubles_up_to_its_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert backoff(30) == timedelta(hours=12)


def test_a_delivery_is_given_up_after_the_last_attempt(person, monkeypatch):
    send(person)
    Delivery.objects.update(attempts=MAX_ATTEMPTS - 1)
    monkeypatch.setitem(channels.CHANNELS, "email", Down())
    deliveries_send_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert deliveries_send_due(now=timezone.now() + timedelta(days=30)) == {"sent": 0, "failed": 0}


def test_an_unexpected_error_is_recorded_too(person, monkeypatch):
    class Broken:
        def send(self, delivery):
            raise RuntimeError("template missing")

    send(person)
    monkeypatch.setitem(channels.CHANNELS, "email", Broken())
    assert deliveries_send_due() == {"sent": 0, "failed": 1}
    assert Delivery.objects.get().last_error == "template missing"


def test_the_mail_is_in_the_recipients_language(person):
    UserLanguage.objects.create(user=person, language="zh-hans")
    send(person)
    deliveries_send_due()
    message = mail.outbox[0]
    assert "3" in message.subject and "Your daily digest" not in message.subject
    assert "Open it:" not in message.body


def test_the_periodic_task_sends_what_is_due(person):
    send(person)
    assert send_due_deliveries.apply().get()["sent"] == 1
    assert len(mail.outbox) == 1


# --- daily digests ---------------------------------------------------------------------------------------------


@pytest.fixture
def digest_reader(person):
    Preference.objects.create(user=person, kind="test_answered", email=EmailChoice.DIGEST)
    return person


def test_a_days_digest_notifications_arrive_in_one_mail(digest_reader):
    for n in range(3):
        send(digest_reader, key=f"answered:{n}", url=f"/me/{n}/")
    send(digest_reader, kind="test_other", key="other:1")  # immediate: mailed on its own, not in the digest
    assert Delivery.objects.count() == 1
    day = timezone.localdate()
    assert digests_prepare(day=day) == 1
    assert digests_prepare(day=day) == 0  # run twice, queued once
    assert digests_send_due() == {"sent": 1, "failed": 0}
    assert digests_send_due() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Your daily digest: 3 notifications"
    assert all(f"http://localhost:8000/me/{n}/" in body for n in range(3))
    assert "Unread" not in body  # the immediate kind's title
    assert DigestMail.objects.get().status == DeliveryStatus.SENT


def test_the_digest_holds_only_that_day(digest_reader):
    send(digest_reader, key="answered:old")
    Notification.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert digests_prepare(day=timezone.localdate()) == 0


def test_the_digest_task_sends_yesterdays_digest(digest_reader):
    send(digest_reader)
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1))
    result = send_daily_digests.apply().get()
    assert result["queued"] == 1 and result["sent"] == 1 and len(mail.outbox) == 1


def test_a_digest_turned_off_after_it_was_queued_sends_nothing(digest_reader):
    send(digest_reader)
    digests_prepare(day=timezone.localdate())
    Preference.objects.filter(user=digest_reader).update(email=EmailChoice.OFF)
    digests_send_due()
    assert mail.outbox == [] and DigestMail.objects.get().status == DeliveryStatus.SENT
