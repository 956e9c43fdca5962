"""Template context every page shares: the navigation, which depends on the user's roles."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from web.access import OFFICIAL_ROLES, RESIDENT_ROLES, STAFF_ROLES, user_roles

# (URL name, label, roles that see the link; None = everyone), in the order shown.
AREAS = (
    ("dashboard:home", _("Dashboard"), OFFICIAL_ROLES),
    ("partner_portal:home", _("Partner portal"), STAFF_ROLES),
    ("resident_portal:home", _("My community"), RESIDENT_ROLES),
    ("transparency:home", _("Public information"), None),
)


def _links(request) -> list[dict]:
    roles = user_roles(request)
    links = []
    for url_name, label, area_roles in AREAS:
        if area_roles is None or roles & area_roles:
            url = reverse(url_name)
            links.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return links


def navigation(request):
    """`nav_links`: [{url, label, current}] for the areas the user may open.

    Lazy, so that pages which never show the navigation (the admin, the API docs) run no query
    for it; the roles behind it are computed once per request (web.access.user_roles).
    """
    return {"nav_links": SimpleLazyObject(lambda: _links(request))}
