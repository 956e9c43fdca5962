"""Marking a person's own notifications read."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.actors import Account
from notifications.models import Notification


def _own(user: Account) -> "QuerySet[Notification]":
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to read your notifications."))
    return Notification.objects.filter(recipient_id=user.pk)


def notification_mark_read(*, user: Account, notification_id: int) -> Notification:
    """Mark one of the person's notifications read (once: the first reading time stays); it is returned.

    Another person's notification is Notification.DoesNotExist, like one that does not exist.
    """
    notification = _own(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Account) -> int:
    """Mark every unread notification of the person read; how many were."""
    return _own(user).filter(read_at__isnull=True).update(read_at=timezone.now())
