"""Reads of the notifications: a person's own list, the bell's count, and which kinds they may receive."""

from django.db.models import QuerySet

from common.actors import Account
from notifications.kinds import KINDS, OFFICIAL, PARTNER, RESIDENT, Kind
from notifications.models import EmailChoice, Notification, Preference
from partners.roles import roles_of

# Which audience each role belongs to.
_AUDIENCE_OF_ROLE = {"resident": RESIDENT, "staff": PARTNER, "official": OFFICIAL, "administrator": OFFICIAL}


def notifications_of(user: Account, *, kind: str = "", unread: bool = False) -> "QuerySet[Notification]":
    """The person's own notifications, newest first; nobody else's, whatever they ask for."""
    if not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient_id=user.pk)
    if kind:
        rows = rows.filter(kind=kind)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def unread_count(user: Account) -> int:
    """The bell's number: one COUNT over the unread index."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def kinds_for(user: Account) -> list[Kind]:
    """The kinds a person may receive, by their roles, in registration order."""
    audiences = {_AUDIENCE_OF_ROLE[role] for role in roles_of(user) if role in _AUDIENCE_OF_ROLE}
    return [kind for kind in KINDS.values() if kind.audience in audiences]


def email_choices(user: Account, kinds: list[Kind]) -> dict[str, str]:
    """{kind code: e-mail choice} for the kinds, immediately where the person chose nothing."""
    if user.pk is None:
        return {kind.code: EmailChoice.IMMEDIATE for kind in kinds}
    chosen = dict(
        Preference.objects.filter(user_id=user.pk, kind__in=[kind.code for kind in kinds]).values_list("kind", "email")
    )
    return {kind.code: chosen.get(kind.code, EmailChoice.IMMEDIATE) for kind in kinds}
