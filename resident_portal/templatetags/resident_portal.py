"""The residents' bottom navigation: their main places, with the one the page belongs to marked current."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (label, URL name, the paths under /me/ whose pages belong to the place), in the order shown.
# "" is the portal's home alone; the others are prefixes (a task's page is under Tasks).
PLACES = (
    (_("Tasks"), "resident_portal:tasks", ("tasks/",)),
    (_("My claims"), "resident_portal:home", ("", "claims/", "check-ins/")),
    (_("Complaints"), "resident_portal:complaints", ("complaints/",)),
    (_("Ratings"), "resident_portal:ratings", ("ratings/",)),
    (_("Me"), "resident_portal:me", ("account/", "needs/", "my-data/")),
)


def _belongs(rest: str, paths: tuple[str, ...]) -> bool:
    return any(rest == "" if path == "" else rest.startswith(path) for path in paths)


@register.simple_tag(takes_context=True)
def resident_places(context) -> list[dict]:
    """[{label, url, current}] for the bottom navigation of the page being rendered."""
    root, path = reverse("resident_portal:home"), context["request"].path
    rest = path[len(root) :] if path.startswith(root) else None
    return [
        {"label": label, "url": reverse(url_name), "current": rest is not None and _belongs(rest, paths)}
        for label, url_name, paths in PLACES
    ]
