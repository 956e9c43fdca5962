"""The portal's home, and the two things staff do straight from it: complete a duty, answer a complaint."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.complaints import complaint_answer
from accountability.duties import duty_complete
from accountability.models import Complaint, Duty
from web.access import staff_required, visible_or_404
from web.workflows import call_service

from ..forms import ComplaintAnswerForm, DutyCompleteForm
from ..selectors import complaints_to_answer, duties_due, organisations_with_projects, returned_reports


@staff_required
def home(request):
    """Organisations and projects, then what needs doing: duties, complaints, returned reports."""
    return render(request, "partner_portal/home.html", {
        "organisations": organisations_with_projects(request.user),
        "duties": duties_due(request.user),
        "complaints": complaints_to_answer(request.user),
        "returned_reports": returned_reports(request.user),
        "now": timezone.now(),
    })


@staff_required
def duty_complete_page(request, pk):
    """Evidence for the duty's current occurrence; the due date seen on screen travels with it."""
    duty = visible_or_404(Duty.objects.select_related("project__community", "accountable__organisation"),
                          request.user, pk=pk)
    form = DutyCompleteForm(request.POST or None, initial={"due_on": duty.next_due_on})
    if request.method == "POST" and form.is_valid():
        completion = call_service(
            form, duty_complete, duty=duty, user=request.user, evidence=form.cleaned_data["evidence"],
            due_on=form.cleaned_data["due_on"],
        )
        if completion is not None:
            messages.success(request, _("Duty completed: %(duty)s.") % {"duty": duty})
            return redirect("partner_portal:home")
    return render(request, "partner_portal/duty_complete.html", {"duty": duty, "form": form})


@staff_required
def complaint_answer_page(request, pk):
    complaint = visible_or_404(Complaint.objects.select_related("project__community", "routed_to"),
                               request.user, pk=pk)
    form = ComplaintAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = call_service(
            form, complaint_answer, complaint=complaint, user=request.user, response=form.cleaned_data["response"]
        )
        if answered is not None:
            messages.success(request, _("Your answer was sent to the resident."))
            return redirect("partner_portal:home")
    return render(request, "partner_portal/complaint_answer.html", {"complaint": complaint, "form": form})
