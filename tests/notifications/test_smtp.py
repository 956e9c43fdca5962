"""E-mail through a real SMTP server on loopback: delivered exactly once, and caught up after the server was down."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from common.actors import TRUSTED
from notifications.models import Delivery, DeliveryStatus, UserLanguage
from notifications.services.delivery import deliveries_send_due
from notifications.services.notify import notify

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def smtp_server(port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


def notify_once(person):
    notify(recipients=[person], kind="test_answered", key="answered:1", params={"count": 3}, url="/me/", user=TRUSTED)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_a_mail_arrives_in_the_inbox_exactly_once(person, smtp_server):
    UserLanguage.objects.create(user=person, language="zh-hans")
    notify_once(person)
    notify_once(person)  # the same event again
    assert deliveries_send_due() == {"sent": 1, "failed": 0}
    assert deliveries_send_due() == {"sent": 0, "failed": 0}
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["li@example.org"]
    assert subject(message) == "您的每日摘要：3 条通知"
    assert "".join(message["List-Unsubscribe"].split()).startswith("<http://localhost:8000/notifications/unsubscribe/")


def test_a_mail_server_that_was_down_is_caught_up_once(person, port):
    notify_once(person)
    now = timezone.now()
    assert deliveries_send_due(now=now) == {"sent": 0, "failed": 1}
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.next_attempt_at > now

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = now + timedelta(hours=1)
        assert deliveries_send_due(now=later) == {"sent": 1, "failed": 0}
        assert deliveries_send_due(now=later + timedelta(hours=1)) == {"sent": 0, "failed": 0}
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
