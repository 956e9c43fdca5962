"""Pages of the shell: the role home that sends each user to their own area."""

from django.shortcuts import redirect
from django.templatetags.static import static

from web.access import home_url_for


def home(request):
    """Officials and administrators to the dashboard, organisation staff to the partner portal,
    residents to their portal, everyone else to the public pages."""
    return redirect(home_url_for(request))


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon the pages use."""
    return redirect(static("web/favicon.svg"), permanent=True)
