"""Expressing a need to the community, and the resident's needs with the officials' response."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduction.services.needs import need_express
from resident_portal.forms import NeedForm
from resident_portal.selectors import my_needs, published_service_items
from resident_portal.views.common import current_resident
from web.access import resident_required
from web.workflows import call_service


@resident_required
def needs(request):
    resident = current_resident(request)
    form = NeedForm(request.POST or None, service_items=published_service_items(user=request.user))
    if request.method == "POST" and form.is_valid():
        need = call_service(form, need_express, resident=resident, user=request.user, **form.cleaned_data)
        if need is not None:
            messages.success(
                request, _("Thank you: your need is recorded and the residents' committee will answer it.")
            )
            return redirect("resident_portal:needs")
    return render(request, "resident_portal/needs.html", {"form": form, "needs": my_needs(resident=resident)})
