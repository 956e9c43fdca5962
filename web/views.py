"""Pages of the shell: the role home that sends each user to their own area."""
from django.shortcuts import redirect

from .access import home_url_for


def home(request):
    """Officials and administrators to the dashboard, organisation staff to the partner portal,
    residents to their portal, everyone else to the public pages."""
    return redirect(home_url_for(request))
