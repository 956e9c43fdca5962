"""Officials' complaint pages: the community's complaints, and one complaint with the ways to handle it.

An official answers a complaint (always for one routed to a government body, which acts through
the community's officials), re-routes it to another participant, extends its deadline once, or
closes it with a note. Each action is one accountability.services.complaints service; a refusal comes
back on the complaint's page with what the official typed.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.models import Complaint
from accountability.services import complaints
from dashboard.forms import complaints as forms
from partners.models import Community
from partners.personal_data import contact_viewer_for
from web.access import official_required
from web.workflows import call_service

LIST_LIMIT = 200


def _overseen_complaints(user):
    """The complaints the user may see, of the communities the user oversees as an official."""
    return Complaint.objects.visible_to(user).filter(
        project__community__in=Community.objects.overseen_by(user).values("pk")
    )


def _mark_overdue(rows, now) -> list[Complaint]:
    rows = list(rows)
    for complaint in rows:
        complaint.is_overdue = complaint.status in complaints.AWAITING_RESPONSE and complaint.response_due_at < now
    return rows


@official_required
def complaint_list(request, code):
    """A community's complaints with who answers them, their age, status and deadline; filter by status."""
    community = get_object_or_404(
        Community.objects.overseen_by(request.user).select_related("street__district"), code=code
    )
    form = forms.ComplaintFilterForm(request.GET or None)
    rows = (
        _overseen_complaints(request.user)
        .filter(project__community=community, **form.filters())
        .select_related("project", "routed_to")
        .order_by("-filed_at")[:LIST_LIMIT]
    )
    return render(
        request,
        "dashboard/supervision/complaint_list.html",
        {
            "community": community,
            "form": form,
            "complaints": _mark_overdue(rows, timezone.now()),
            "section": "complaints",
        },
    )


def _complaint(request, pk: int) -> Complaint:
    return get_object_or_404(
        _overseen_complaints(request.user).select_related(
            "project__community", "routed_to", "resident", "duty", "responded_by", "closed_by"
        ),
        pk=pk,
    )


def _blank_forms(complaint: Complaint) -> dict:
    return {
        "answer_form": forms.ComplaintAnswerForm(),
        "reroute_form": forms.ComplaintRerouteForm(complaint=complaint),
        "extend_form": forms.ComplaintExtendForm(),
        "close_form": forms.ComplaintCloseForm(),
    }


def _render_detail(request, complaint: Complaint, **bound_forms):
    [complaint] = _mark_overdue([complaint], timezone.now())
    # The official handling the complaint may need to call the resident back: the contact details
    # follow partners.personal_data's rule, and a full view is audited.
    contact = contact_viewer_for(request).resident_contact(complaint.resident)
    awaiting = complaint.status in complaints.AWAITING_RESPONSE
    return render(
        request,
        "dashboard/supervision/complaint_detail.html",
        {
            "complaint": complaint,
            "community": complaint.project.community,
            "section": "complaints",
            "contact": contact,
            **_blank_forms(complaint),
            **bound_forms,
            "may_answer": awaiting,
            "may_reroute": awaiting,
            "may_extend": awaiting and complaint.deadline_extended_at is None,
            "may_close": complaint.status not in complaints.FINISHED,
        },
    )


@official_required
def complaint_detail(request, pk):
    """The complaint, its thread, and the forms to answer, re-route, extend or close it."""
    return _render_detail(request, _complaint(request, pk))


@official_required
def complaint_photo(request, pk):
    """The resident's photo of what went wrong, for the officials overseeing the community."""
    return complaints.complaint_photo_download(_complaint(request, pk))


def _act(request, pk: int, *, form_name: str, make_form, service, done: str):
    """Run one handling service from its form; on a refusal show the page again with the form as typed."""
    complaint = _complaint(request, pk)
    form = make_form(request.POST, complaint)
    if form.is_valid():
        handled = call_service(form, service, complaint=complaint, user=request.user, **form.cleaned_data)
        if handled is not None:
            messages.success(request, done)
            return redirect("dashboard:complaint_detail", pk=complaint.pk)
    return _render_detail(request, complaint, **{form_name: form})


@official_required
@require_POST
def complaint_answer(request, pk):
    return _act(
        request,
        pk,
        form_name="answer_form",
        service=complaints.complaint_answer,
        done=_("Answer sent."),
        make_form=lambda data, complaint: forms.ComplaintAnswerForm(data),
    )


@official_required
@require_POST
def complaint_reroute(request, pk):
    return _act(
        request,
        pk,
        form_name="reroute_form",
        service=complaints.complaint_reroute,
        done=_("Complaint re-routed."),
        make_form=lambda data, complaint: forms.ComplaintRerouteForm(data, complaint=complaint),
    )


@official_required
@require_POST
def complaint_extend(request, pk):
    return _act(
        request,
        pk,
        form_name="extend_form",
        service=complaints.complaint_extend,
        done=_("Deadline extended."),
        make_form=lambda data, complaint: forms.ComplaintExtendForm(data),
    )


@official_required
@require_POST
def complaint_close(request, pk):
    return _act(
        request,
        pk,
        form_name="close_form",
        service=complaints.complaint_close,
        done=_("Complaint closed."),
        make_form=lambda data, complaint: forms.ComplaintCloseForm(data),
    )


urls = [
    path("communities/<slug:code>/complaints/", complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/photo/", complaint_photo, name="complaint_photo"),
    path("complaints/<int:pk>/answer/", complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/reroute/", complaint_reroute, name="complaint_reroute"),
    path("complaints/<int:pk>/extend/", complaint_extend, name="complaint_extend"),
    path("complaints/<int:pk>/close/", complaint_close, name="complaint_close"),
]
