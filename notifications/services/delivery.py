"""Sending the outbox: each queued e-mail once, failures kept with their reason and retried with backoff.

A web request only writes rows (notifications.services.notify); these functions, run by Celery tasks, do
the sending. Each row is taken with SELECT … FOR UPDATE SKIP LOCKED in its own transaction and stays locked
while it is sent, so two workers running at once never send the same row, and a row is marked sent in the
same transaction that held it. A worker killed between the mail server accepting a message and that commit
leaves the row queued, so it may be sent again: at least once, which for a reminder beats never.
"""

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from notifications.channels import CHANNELS, EMAIL, ChannelError
from notifications.mail import digest_message
from notifications.models import Delivery, DeliveryStatus, DigestMail, EmailChoice, Notification

logger = logging.getLogger(__name__)

# Retries wait 1, 2, 4 … minutes, at most 12 hours; after MAX_ATTEMPTS failures a row is given up on
# (it stays `failed` with its last reason, for an administrator to see in the admin).
MAX_ATTEMPTS = 10
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=12)

Row = TypeVar("Row", Delivery, DigestMail)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure."""
    factor: int = 2 ** max(attempts - 1, 0)
    return min(BACKOFF_BASE * factor, BACKOFF_CAP)


def _due(rows: "QuerySet[Row]", now: datetime) -> "QuerySet[Row]":
    return rows.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED], next_attempt_at__lte=now)


def _attempt(row: Row, send: Callable[[], None], now: datetime) -> bool:
    """Send and record the outcome on the (locked) row; whether it was sent. Never raises."""
    row.attempts += 1
    try:
        send()
    except Exception as error:
        if not isinstance(error, ChannelError):
            logger.exception("Sending %s failed unexpectedly", row)
        row.status = DeliveryStatus.FAILED
        row.last_error = str(error)[:2000] or type(error).__name__
        row.next_attempt_at = now + backoff(row.attempts) if row.attempts < MAX_ATTEMPTS else None
        row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
        return False
    row.status = DeliveryStatus.SENT
    row.sent_at = now
    row.next_attempt_at = None
    row.last_error = ""
    row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return True


def deliveries_send_due(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Send the deliveries due by `now`, at most `limit`; the counts of sent and failed."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0}
    for _ in range(limit):
        with transaction.atomic():
            delivery = (
                _due(Delivery.objects.all(), now)
                .select_related("notification__recipient__notification_language")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if delivery is None:
                break
            channel = CHANNELS[delivery.channel]
            sent = _attempt(delivery, lambda: channel.send(delivery), now)  # noqa: B023 - called right here
        counts["sent" if sent else "failed"] += 1
    return counts


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _digest_notifications(user_ids: list[int], day: date) -> "QuerySet[Notification]":
    """The day's notifications of the kinds each person takes as a daily digest."""
    start, end = _day_bounds(day)
    # One filter() call: the preference joined is the recipient's own for the notification's kind.
    return Notification.objects.filter(
        recipient_id__in=user_ids,
        created_at__gte=start,
        created_at__lt=end,
        recipient__notification_preferences__kind=F("kind"),
        recipient__notification_preferences__email=EmailChoice.DIGEST,
    )


def digests_prepare(*, day: date, now: datetime | None = None) -> int:
    """Queue one DigestMail per person with digest notifications on `day`; the number newly queued.

    Unique per person and day, so running it again (a retried task, beat firing twice) queues nothing more.
    """
    now = now or timezone.now()
    start, end = _day_bounds(day)
    users = set(
        Notification.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            recipient__is_active=True,
            recipient__notification_preferences__kind=F("kind"),
            recipient__notification_preferences__email=EmailChoice.DIGEST,
        )
        .exclude(recipient__email="")
        .values_list("recipient_id", flat=True)
    )
    existing = set(DigestMail.objects.filter(day=day, user_id__in=users).values_list("user_id", flat=True))
    DigestMail.objects.bulk_create(
        [DigestMail(user_id=pk, day=day, next_attempt_at=now) for pk in users - existing], ignore_conflicts=True
    )
    return len(users - existing)


def digests_send_due(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Send the daily digests due by `now`, each as one mail; the counts of sent and failed."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0}
    for _ in range(limit):
        with transaction.atomic():
            digest = (
                _due(DigestMail.objects.all(), now)
                .select_related("user__notification_language")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if digest is None:
                break
            items = list(_digest_notifications([digest.user_id], digest.day).order_by("created_at", "pk"))
            if not items:
                # The person has since turned the digest off: nothing to send, and nothing to retry.
                sent = _attempt(digest, lambda: None, now)
            else:
                message = digest_message(digest.user, digest.day, items)
                sent = _attempt(digest, lambda: EMAIL.send_message(message), now)  # noqa: B023
        counts["sent" if sent else "failed"] += 1
    return counts
