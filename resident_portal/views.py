"""Residents' pages: their community and the tasks they have claimed."""
from django.shortcuts import render

from coproduction.models import Claim, ClaimStatus
from partners.roles import resident_of
from web.access import resident_required


@resident_required
def home(request):
    """The resident's community and active claims, newest first."""
    resident = resident_of(request.user)
    claims = (
        Claim.objects.visible_to(request.user)
        .filter(resident=resident, status=ClaimStatus.ACTIVE)
        .select_related("task__project")
        .order_by("-claimed_at")
    )
    return render(request, "resident_portal/home.html", {"resident": resident, "claims": claims})
