"""What every residents' page needs: the resident behind the request, and the way back after a form."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from partners.models import Resident
from partners.roles import resident_of


def current_resident(request) -> Resident:
    """The signed-in resident (the page is guarded by resident_required), with their community."""
    if not hasattr(request, "_resident"):
        request._resident = resident_of(request.user)
    return request._resident


def same_site(request, target: str) -> str:
    """`target` if it is an address on this site, else "": a `next` never sends anyone elsewhere."""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def redirect_back(request, fallback: str):
    """To the page the form came from (a same-site `next`), else to `fallback`."""
    return redirect(same_site(request, request.POST.get("next") or "") or fallback)
