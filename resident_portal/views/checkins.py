"""Checking in on a claimed task, and the resident's check-ins with their volunteer hours and photos."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from coproduction.downloads import checkin_photo_download
from coproduction.services.claims import checkin_record, volunteer_hours
from resident_portal.forms import CheckInForm
from resident_portal.selectors import my_active_claims, my_checkins
from resident_portal.views.common import current_resident
from web.access import resident_required
from web.workflows import call_service

CHECKINS_PER_PAGE = 50


@resident_required
def checkin_create(request, claim_pk: int):
    """The check-in form on one of the resident's active claims (date, note, optional photo)."""
    resident = current_resident(request)
    claim = get_object_or_404(my_active_claims(user=request.user, resident=resident), pk=claim_pk)
    form = CheckInForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checkin = call_service(form, checkin_record, claim=claim, user=request.user, **form.cleaned_data)
        if checkin is not None:
            messages.success(
                request,
                _("Checked in on %(task)s: %(hours)s volunteer hours added.")
                % {"task": claim.task.title, "hours": checkin.hours},
            )
            return redirect("resident_portal:checkins")
    return render(request, "resident_portal/checkin_form.html", {"claim": claim, "form": form})


@resident_required
def checkin_list(request):
    """The resident's check-ins, newest first, and the volunteer hours they add up to."""
    resident = current_resident(request)
    checkins = my_checkins(user=request.user, resident=resident)
    page = Paginator(checkins, CHECKINS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "hours": volunteer_hours(resident=resident)}
    return render(request, "resident_portal/checkins.html", context)


@resident_required
def checkin_photo(request, pk: int):
    """The photo of one of the resident's own check-ins; anyone else's answers 404, as the API does
    for those it may not show."""
    checkin = get_object_or_404(my_checkins(user=request.user, resident=current_resident(request)), pk=pk)
    return checkin_photo_download(checkin)
