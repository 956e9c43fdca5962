"""The mail the notifications send: written in the recipient's language, with a one-click unsubscribe link."""

from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.kinds import kind_label, render_title
from notifications.models import Delivery, Notification, UserLanguage
from partners.models import User

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def recipient_language(user: User) -> str:
    """The language the person last chose on the site, else the site's."""
    try:
        return user.notification_language.language
    except UserLanguage.DoesNotExist:
        return settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed token naming the person and the kind: the link works without signing in, and only for them.

    It does not expire: a mail read months later must still stop the mail it came with.
    """
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) of a token; raises signing.BadSignature when it was not made here."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def delivery_message(delivery: Delivery) -> EmailMessage:
    """The mail of one notification, in its recipient's language."""
    notification = delivery.notification
    recipient = notification.recipient
    with translation.override(recipient_language(recipient)):
        title = render_title(notification.kind, notification.params)
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "title": title,
                "url": absolute(notification.url) if notification.url else "",
                "kind_label": kind_label(notification.kind),
                "unsubscribe_url": unsubscribe_url(recipient.pk, notification.kind),
                "preferences_url": absolute(reverse("notifications:preferences")),
            },
        )
        subject = title
    # RFC 8058: a mail client's own unsubscribe button posts to the link, without opening the page.
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url(recipient.pk, notification.kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return EmailMessage(subject=subject, body=body, to=[recipient.email], headers=headers)


def digest_message(user: User, day: date, notifications: list[Notification]) -> EmailMessage:
    """One mail listing a day's notifications of the kinds the person takes as a daily digest."""
    with translation.override(recipient_language(user)):
        items = [
            {"title": render_title(n.kind, n.params), "url": absolute(n.url) if n.url else ""} for n in notifications
        ]
        kinds = sorted({n.kind for n in notifications})
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "day": date_format(day, "DATE_FORMAT"),
                "items": items,
                "unsubscribes": [(kind_label(kind), unsubscribe_url(user.pk, kind)) for kind in kinds],
                "preferences_url": absolute(reverse("notifications:preferences")),
            },
        )
        subject = _("Your daily digest: %(count)s notifications") % {"count": len(notifications)}
    return EmailMessage(subject=subject, body=body, to=[user.email])
