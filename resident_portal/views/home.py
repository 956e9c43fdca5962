"""The residents' home (their community, active claims and volunteer hours) and their own page ("Me")."""

from django.shortcuts import render

from coproduction.services.claims import volunteer_hours
from resident_portal.selectors import my_active_claims
from resident_portal.views.common import current_resident
from web.access import resident_required


@resident_required
def home(request):
    """The resident's community and active claims, newest first."""
    resident = current_resident(request)
    context = {
        "resident": resident,
        "claims": my_active_claims(user=request.user, resident=resident),
        "hours": volunteer_hours(resident=resident),
    }
    return render(request, "resident_portal/home.html", context)


@resident_required
def me(request):
    """The resident's own places that are not in the bottom navigation: needs, hours, data."""
    resident = current_resident(request)
    context = {"resident": resident, "hours": volunteer_hours(resident=resident)}
    return render(request, "resident_portal/me.html", context)
