"""My data: what the platform holds about the resident, as a download, and the removal of the account."""

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from partners.selectors.resident_export import resident_data
from partners.services.resident_removal import resident_remove
from resident_portal.forms import AccountRemovalForm
from resident_portal.views.common import current_resident
from web.access import resident_required
from web.workflows import call_service


@resident_required
@require_GET
def my_data(request):
    return render(request, "resident_portal/my_data.html", {"resident": current_resident(request)})


@resident_required
@require_GET
def my_data_download(request):
    """The same JSON document as GET /api/v1/me/data/, as a file."""
    data = resident_data(resident=current_resident(request), user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@resident_required
def account_removal(request):
    """The confirmation step, then the removal; the resident is signed out with it."""
    # An empty POST (the box left unticked) must still be a bound form, so that it shows the error.
    form = AccountRemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        call_service(form, resident_remove, resident=current_resident(request), user=request.user)
        if not form.errors:
            logout(request)
            return render(request, "resident_portal/account_removed.html")
    return render(request, "resident_portal/account_removal.html", {"form": form})
