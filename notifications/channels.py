"""How a notification leaves the platform: the Channel interface, and e-mail, the channel it ships with.

A channel sends one message to one person and either returns or raises ChannelError with the reason;
notifications.services.delivery keeps the outbox (Delivery rows), locks each row so that two workers never
send the same one, records failures and retries them with backoff. A channel therefore holds no state and
never retries by itself.

A deployment that reaches people another way (SMS, WeChat template messages) adds:

1. a value to `notifications.models.Channel` (e.g. SMS = "sms") and its migration;
2. a class with `send(delivery)` that reads `delivery.notification` (its recipient, kind, params, url),
   renders the text in the recipient's language with `notifications.mail.render_title` or its own template,
   calls its gateway and raises ChannelError on any failure the gateway reports;
3. its instance in CHANNELS under the new value, and the Delivery rows for it written by
   notifications.services.notify (which today queues e-mail only).
"""

import smtplib
from typing import Protocol

from django.core.mail import EmailMessage, get_connection

from notifications.mail import delivery_message
from notifications.models import Channel as ChannelCode
from notifications.models import Delivery


class ChannelError(Exception):
    """The channel could not send; the message says why, for the delivery's record."""


class Channel(Protocol):
    """Sends one delivery; returns once the message was accepted, raises ChannelError when it was not."""

    def send(self, delivery: Delivery) -> None: ...


class EmailChannel:
    """E-mail through Django's mail backend (EMAIL_URL in the settings)."""

    def send(self, delivery: Delivery) -> None:
        self.send_message(delivery_message(delivery))

    def send_message(self, message: EmailMessage) -> None:
        """Send a composed mail (a daily digest is one mail for many notifications)."""
        try:
            connection = get_connection(fail_silently=False)
            sent = connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelError(f"{type(error).__name__}: {error}") from error
        if not sent:
            raise ChannelError("The mail server accepted no message")


EMAIL = EmailChannel()
CHANNELS: dict[str, Channel] = {ChannelCode.EMAIL: EMAIL}
