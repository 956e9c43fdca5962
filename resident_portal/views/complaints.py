"""Filing a complaint about a project, with a photo if the resident has one, and following it to its answer:
confirm it or reopen it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.models import ComplaintStatus
from accountability.services.complaints import (
    complaint_confirm,
    complaint_file,
    complaint_photo_download,
    complaint_reopen,
)
from common.admin_workflows import refusal_text
from resident_portal.forms import ComplaintForm, ReopenForm
from resident_portal.selectors import my_complaints, running_projects
from resident_portal.views.common import current_resident
from web.access import resident_required
from web.workflows import call_service


@resident_required
def complaint_list(request):
    """The resident's complaints with their status and deadline, and the form to file one."""
    resident = current_resident(request)
    form = ComplaintForm(
        request.POST or None,
        request.FILES or None,
        projects=running_projects(user=request.user, resident=resident),
    )
    if request.method == "POST" and form.is_valid():
        complaint = call_service(form, complaint_file, resident=resident, **form.cleaned_data)
        if complaint is not None:
            messages.success(
                request,
                _("Your complaint is filed and has gone to %(organisation)s.")
                % {"organisation": complaint.routed_to.name},
            )
            return redirect("resident_portal:complaint", pk=complaint.pk)
    context = {"form": form, "complaints": my_complaints(user=request.user, resident=resident)}
    return render(request, "resident_portal/complaints.html", context)


def _my_complaint(request, pk: int):
    return get_object_or_404(my_complaints(user=request.user, resident=current_resident(request)), pk=pk)


def _detail(request, complaint, reopen_form: ReopenForm):
    context = {
        "complaint": complaint,
        "reopen_form": reopen_form,
        "answered": complaint.status == ComplaintStatus.ANSWERED,
    }
    return render(request, "resident_portal/complaint_detail.html", context)


@resident_required
def complaint_detail(request, pk: int):
    return _detail(request, _my_complaint(request, pk), ReopenForm())


@resident_required
def complaint_photo(request, pk: int):
    """The photo of one of the resident's own complaints; anyone else's answers 404."""
    return complaint_photo_download(_my_complaint(request, pk))


@resident_required
@require_POST
def complaint_confirm_answer(request, pk: int):
    complaint = _my_complaint(request, pk)
    try:
        complaint_confirm(complaint=complaint, resident=current_resident(request))
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
    else:
        messages.success(request, _("Thank you: the complaint is closed."))
    return redirect("resident_portal:complaint", pk=complaint.pk)


@resident_required
@require_POST
def complaint_reopen_answer(request, pk: int):
    complaint = _my_complaint(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        reopened = call_service(
            form, complaint_reopen, complaint=complaint, resident=current_resident(request), **form.cleaned_data
        )
        if reopened is not None:
            messages.success(request, _("The complaint is reopened and must be answered again."))
            return redirect("resident_portal:complaint", pk=complaint.pk)
    return _detail(request, complaint, form)
