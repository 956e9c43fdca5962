"""The portal's home, and what staff do straight from it: complete a duty (with its evidence), answer a complaint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import Complaint, Duty, DutyCompletionAttachment
from accountability.services.complaints import complaint_answer, complaint_photo_download
from accountability.services.duties import duty_complete
from common.scoping import visible_or_404
from coproduction.downloads import stored_attachment_download
from partner_portal.forms import ComplaintAnswerForm, DutyCompleteForm
from partner_portal.selectors import (
    complaints_to_answer,
    completions_of,
    duties_due,
    duty_evidence,
    organisations_with_projects,
    returned_reports,
)
from web.access import staff_required
from web.workflows import call_service


@staff_required
def home(request):
    """Organisations and projects, then what needs doing: duties, complaints, returned reports."""
    return render(
        request,
        "partner_portal/home.html",
        {
            "organisations": organisations_with_projects(request.user),
            "duties": duties_due(request.user),
            "complaints": complaints_to_answer(request.user),
            "returned_reports": returned_reports(request.user),
            "now": timezone.now(),
        },
    )


@staff_required
def duty_complete_page(request, pk):
    """Evidence for the duty's current occurrence; the due date seen on screen travels with it."""
    duty = visible_or_404(
        Duty.objects.select_related("project__community", "accountable__organisation"), request.user, pk=pk
    )
    form = DutyCompleteForm(request.POST or None, request.FILES or None, initial={"due_on": duty.next_due_on})
    if request.method == "POST" and form.is_valid():
        completion = call_service(form, duty_complete, duty=duty, user=request.user, **form.cleaned_data)
        if completion is not None:
            messages.success(request, _("Duty completed: %(duty)s.") % {"duty": duty})
            return redirect("partner_portal:duty_complete", pk=duty.pk)
    return render(
        request,
        "partner_portal/duty_complete.html",
        {
            "duty": duty,
            "form": form,
            "completions": completions_of(request.user, duty),
        },
    )


@login_required
def duty_completion_attachment(request, pk, attachment_id):
    """A photo or file of a duty's evidence, to the officials and organisations who may read the evidence."""
    completion = get_object_or_404(duty_evidence(request.user), pk=pk)
    attachment = get_object_or_404(DutyCompletionAttachment.objects.filter(completion=completion), pk=attachment_id)
    return stored_attachment_download(attachment, prefix=f"duty-completion-{completion.pk}")


@staff_required
def complaint_answer_page(request, pk):
    complaint = visible_or_404(Complaint.objects.select_related("project__community", "routed_to"), request.user, pk=pk)
    form = ComplaintAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = call_service(
            form, complaint_answer, complaint=complaint, user=request.user, response=form.cleaned_data["response"]
        )
        if answered is not None:
            messages.success(request, _("Your answer was sent to the resident."))
            return redirect("partner_portal:home")
    return render(request, "partner_portal/complaint_answer.html", {"complaint": complaint, "form": form})


@staff_required
def complaint_photo(request, pk):
    """The photo a resident filed with a complaint routed to the user's organisation (or one they may see)."""
    return complaint_photo_download(visible_or_404(Complaint.objects, request.user, pk=pk))
