"""Telling people about an event: the in-app notification and, by their preference, its e-mail."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.actors import Actor
from jobs.execution import enqueue_on_commit
from notifications.kinds import KINDS
from notifications.models import Channel, Delivery, EmailChoice, Notification, Preference
from partners.models import User

SEND_TASK = "notifications.send_due_deliveries"


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    key: str,
    params: dict[str, str | int],
    url: str,
    user: Actor,
) -> int:
    """Writes one Notification per recipient in the caller's transaction (the outbox): unique on (recipient, key),
    so the same event notified twice (a rerun job, a retried task, two workers) is written once (bulk_create with
    ignore_conflicts). Queues an e-mail Delivery for recipients whose preference for the kind is "immediate" and who
    have an address, and enqueues the send after commit (jobs.execution.enqueue_on_commit). Returns rows written.

    `user` is who caused the event; notifying is the platform's own doing, so no permission is checked.
    Inactive accounts are not notified. The same few queries whatever the number of recipients.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in notifications/kinds.py")
    people = {person.pk: person for person in recipients if person.is_active}
    if not people:
        return 0
    with transaction.atomic():
        already = set(
            Notification.objects.filter(key=key, recipient_id__in=list(people)).values_list("recipient_id", flat=True)
        )
        fresh = [pk for pk in people if pk not in already]
        if not fresh:
            return 0
        # ignore_conflicts: a concurrent writer of the same event may have won the race since the read above.
        Notification.objects.bulk_create(
            [Notification(recipient_id=pk, kind=kind, key=key, params=params, url=url) for pk in fresh],
            ignore_conflicts=True,
        )
        choices = dict(Preference.objects.filter(user_id__in=fresh, kind=kind).values_list("user_id", "email"))
        by_mail = [
            pk for pk in fresh if people[pk].email and choices.get(pk, EmailChoice.IMMEDIATE) == EmailChoice.IMMEDIATE
        ]
        if by_mail:
            now = timezone.now()
            written = Notification.objects.filter(key=key, recipient_id__in=by_mail).values_list("pk", flat=True)
            Delivery.objects.bulk_create(
                [Delivery(notification_id=pk, channel=Channel.EMAIL, next_attempt_at=now) for pk in written],
                ignore_conflicts=True,
            )
            enqueue_on_commit(SEND_TASK)
    return len(fresh)


@dataclass(frozen=True)
class Notice:
    """One event of a kind for one person, as a periodic job finds them: its own key, params and link."""

    recipient_id: int
    email: str
    key: str
    params: dict[str, str | int]
    url: str


def notify_each(*, kind: str, notices: Sequence[Notice], user: Actor) -> int:
    """What notify() does, for many events of one kind at once, each for its own recipient (a reminder job's
    findings): the same outbox, the same once-per-key rule and e-mail preferences, in five queries whatever the
    number of notices. The caller has already left inactive accounts out. Returns rows written."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in notifications/kinds.py")
    wanted = {(notice.recipient_id, notice.key): notice for notice in notices}
    if not wanted:
        return 0
    recipient_ids = {recipient_id for recipient_id, _key in wanted}
    keys = {key for _recipient_id, key in wanted}
    with transaction.atomic():
        on_record = Notification.objects.filter(key__in=keys, recipient_id__in=recipient_ids)
        already = set(on_record.values_list("recipient_id", "key"))
        fresh = [notice for pair, notice in wanted.items() if pair not in already]
        if not fresh:
            return 0
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=notice.recipient_id, kind=kind, key=notice.key, params=notice.params, url=notice.url
                )
                for notice in fresh
            ],
            ignore_conflicts=True,
        )
        fresh_ids = {notice.recipient_id for notice in fresh}
        choices = dict(Preference.objects.filter(user_id__in=fresh_ids, kind=kind).values_list("user_id", "email"))
        by_mail = {
            (notice.recipient_id, notice.key)
            for notice in fresh
            if notice.email and choices.get(notice.recipient_id, EmailChoice.IMMEDIATE) == EmailChoice.IMMEDIATE
        }
        if by_mail:
            now = timezone.now()
            written = on_record.filter(recipient_id__in={pair[0] for pair in by_mail}).values_list(
                "pk", "recipient_id", "key"
            )
            Delivery.objects.bulk_create(
                [
                    Delivery(notification_id=pk, channel=Channel.EMAIL, next_attempt_at=now)
                    for pk, recipient_id, key in written
                    if (recipient_id, key) in by_mail
                ],
                ignore_conflicts=True,
            )
            enqueue_on_commit(SEND_TASK)
    return len(fresh)
