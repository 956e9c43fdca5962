"""Template context every page shares: the bell's count of unread notifications."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def bell(request):
    """`notification_bell.count`: lazy, so a page that shows no bell (the admin, an anonymous visitor's) runs no
    query for it, and one COUNT on the unread index when it does."""
    return {"notification_bell": SimpleLazyObject(lambda: {"count": unread_count(request.user)})}
