"""Officials' supervision pages: report review, inspections, breaches, complaints, risks, supervision reports.

Reads go through `<Model>.objects.visible_to(user)`, narrowed to the communities the official
oversees (an official who also works for a partner organisation must not supervise through
that membership); writes call the accountability and coproduction services. Every list makes
the same number of queries whatever its length: rows come with select_related, ages are
computed from the timestamps already loaded.
"""
from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability import breaches, inspections, risks
from accountability.models import (
    Breach,
    BreachStatus,
    Complaint,
    ComplaintStatus,
    Inspection,
    Risk,
    RiskStatus,
    SupervisionReport,
)
from accountability.supervision import supervision_report_csv, supervision_report_html, supervision_report_sections
from coproduction import reports
from coproduction.downloads import attachment_download
from coproduction.models import Project, ReportAttachment, ReportStatus, ServiceReport
from partners.personal_data import contact_viewer_for
from web.access import official_required
from web.workflows import call_service

from ..forms import supervision as forms
from ..oversight import overseen_communities

LIST_LIMIT = 200


# --- Scoping ---------------------------------------------------------------------------------


def _community(request, code: str):
    """The community by code, among those the official oversees; 404 otherwise."""
    return get_object_or_404(overseen_communities(request.user).select_related("street__district"), code=code)


def _overseen(queryset, user, community_path: str):
    """The rows the user may see that belong to a community the user oversees as an official."""
    return queryset.visible_to(user).filter(**{f"{community_path}__in": overseen_communities(user).values("pk")})


def _projects_of(community, user):
    return Project.objects.visible_to(user).filter(community=community).order_by("name")


def _filtered(form_class, request, **kwargs):
    form = form_class(request.GET or None, **kwargs)
    return form, form.filters()


# --- Service reports -------------------------------------------------------------------------


@official_required
def report_list(request, code):
    """A community's service reports, those awaiting review first; filter by status and project."""
    community = _community(request, code)
    projects = _projects_of(community, request.user)
    form, filters = _filtered(forms.ReportFilterForm, request, projects=projects)
    if request.GET.get("status") is None:
        filters["status"] = ReportStatus.SUBMITTED
        form = forms.ReportFilterForm(initial={"status": ReportStatus.SUBMITTED}, projects=projects)
    rows = (
        _overseen(ServiceReport.objects, request.user, "project__community")
        .filter(project__community=community, **filters)
        .select_related("project", "organisation")
        .order_by("submitted_at")[:LIST_LIMIT]
    )
    return render(request, "dashboard/supervision/report_list.html", {
        "community": community, "form": form, "reports": rows, "section": "reports",
    })


def _report_for_review(request, pk: int) -> ServiceReport:
    return get_object_or_404(
        _overseen(ServiceReport.objects, request.user, "project__community")
        .select_related("project__community", "organisation", "submitted_by", "reviewed_by")
        .prefetch_related("attachments", "events__by"),
        pk=pk,
    )


@official_required
def report_review(request, pk):
    """A report's figures, narrative, files and history, and the form to accept or return it."""
    report = _report_for_review(request, pk)
    form = forms.ReportReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reviewed = call_service(
            form, reports.report_review, report=report, user=request.user, **form.service_arguments()
        )
        if reviewed is not None:
            accepted = reviewed.status == ReportStatus.ACCEPTED
            messages.success(request, _("Report accepted.") if accepted else _("Report returned for changes."))
            return redirect("dashboard:report_review", pk=reviewed.pk)
    return render(request, "dashboard/supervision/report_review.html", {
        "report": report, "community": report.project.community, "form": form, "section": "reports",
        "reviewable": report.status == ReportStatus.SUBMITTED,
    })


@official_required
def report_attachment(request, pk, attachment_id):
    """One file of a report, served under a name the platform gives it (as the API does)."""
    report = get_object_or_404(_overseen(ServiceReport.objects, request.user, "project__community"), pk=pk)
    return attachment_download(get_object_or_404(ReportAttachment.objects.filter(report=report), pk=attachment_id))


# --- Inspections -----------------------------------------------------------------------------


@official_required
def inspection_list(request, code):
    """A community's inspections, newest first; filter by project."""
    community = _community(request, code)
    projects = _projects_of(community, request.user)
    form, filters = _filtered(forms.InspectionFilterForm, request, projects=projects)
    rows = (
        _overseen(Inspection.objects, request.user, "project__community")
        .filter(project__community=community, **filters)
        .select_related("project", "organisation", "inspector")
        .order_by("-inspected_on", "-pk")[:LIST_LIMIT]
    )
    return render(request, "dashboard/supervision/inspection_list.html", {
        "community": community, "form": form, "inspections": rows, "section": "inspections",
    })


def _checklist_rows_kept(data) -> list[dict]:
    """The checklist rows as typed, to show again with more blank rows (the "add rows" reload)."""
    typed = forms.ChecklistFormSet(data, prefix="checklist")
    if not typed.is_valid():
        return []
    marks = {True: "yes", False: "no"}
    return [
        {**form.cleaned_data, "passed": marks.get(form.cleaned_data.get("passed"), "")}
        for form in typed.forms if form.entry() is not None
    ]


def _blank_inspection_forms(community, user, data=None):
    """The form and a checklist with blank rows; with `data`, what was typed is kept (no errors shown)."""
    projects = _projects_of(community, user)
    rows = _checklist_rows_kept(data) if data is not None else []
    checklist = forms.ChecklistFormSet(prefix="checklist", initial=rows)
    checklist.extra = forms.CHECKLIST_BLANK_ROWS
    initial = {name: data.get(name) for name in forms.InspectionForm.base_fields} if data is not None else {}
    return forms.InspectionForm(initial=initial, projects=projects), checklist


@official_required
def inspection_record(request, code):
    """Record an inspection with its checklist; "add rows" reloads the form with more blank rows."""
    community = _community(request, code)
    if request.method != "POST":
        form, checklist = _blank_inspection_forms(community, request.user)
        if request.GET.get("project"):
            form.initial["project"] = request.GET["project"]
    elif "more_rows" in request.POST:
        form, checklist = _blank_inspection_forms(community, request.user, data=request.POST)
    else:
        form = forms.InspectionForm(request.POST, projects=_projects_of(community, request.user))
        checklist = forms.ChecklistFormSet(request.POST, prefix="checklist")
        if form.is_valid() and checklist.is_valid():
            inspection = call_service(
                form, inspections.inspection_record, user=request.user, checklist=forms.checklist_entries(checklist),
                **form.cleaned_data,
            )
            if inspection is not None:
                messages.success(request, _("Inspection recorded: %(result)s.") % {
                    "result": inspection.get_result_display()})
                listing = reverse("dashboard:inspection_list", kwargs={"code": community.code})
                return redirect(f"{listing}?project={inspection.project_id}")
    return render(request, "dashboard/supervision/inspection_form.html", {
        "community": community, "form": form, "checklist": checklist, "section": "inspections",
    })


# --- Breaches --------------------------------------------------------------------------------


@official_required
def breach_list(request, code):
    """A community's breaches with their age, open ones by default; filter by status, kind, severity."""
    community = _community(request, code)
    form, filters = _filtered(forms.BreachFilterForm, request)
    if request.GET.get("status") is None:
        filters["status"] = BreachStatus.OPEN
        form = forms.BreachFilterForm(initial={"status": BreachStatus.OPEN})
    rows = (
        _overseen(Breach.objects, request.user, "project__community")
        .filter(project__community=community, **filters)
        .select_related("project", "organisation", "duty", "resolved_by")
        .order_by("detected_at")[:LIST_LIMIT]
    )
    return render(request, "dashboard/supervision/breach_list.html", {
        "community": community, "form": form, "breaches": rows, "section": "breaches",
    })


@official_required
def breach_resolve(request, pk):
    """Close an open breach with a resolution and a sanction."""
    breach = get_object_or_404(
        _overseen(Breach.objects, request.user, "project__community")
        .select_related("project__community", "organisation", "duty", "resolved_by"),
        pk=pk,
    )
    form = forms.BreachResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resolved = call_service(form, breaches.breach_resolve, breach=breach, user=request.user, **form.cleaned_data)
        if resolved is not None:
            messages.success(request, _("Breach resolved."))
            listing = reverse("dashboard:breach_list", kwargs={"code": breach.project.community.code})
            return redirect(f"{listing}?status=resolved")
    return render(request, "dashboard/supervision/breach_resolve.html", {
        "breach": breach, "community": breach.project.community, "form": form, "section": "breaches",
        "resolvable": breach.status == BreachStatus.OPEN,
    })


# --- Complaints (read only: the accountable organisation answers them) ----------------------


def _mark_overdue(complaints, now) -> list[Complaint]:
    rows = list(complaints)
    for complaint in rows:
        complaint.is_overdue = (
            complaint.status in (ComplaintStatus.OPEN, ComplaintStatus.REOPENED) and complaint.response_due_at < now
        )
    return rows


@official_required
def complaint_list(request, code):
    """A community's complaints with their age, status and deadline; filter by status."""
    community = _community(request, code)
    form, filters = _filtered(forms.ComplaintFilterForm, request)
    rows = (
        _overseen(Complaint.objects, request.user, "project__community")
        .filter(project__community=community, **filters)
        .select_related("project", "routed_to")
        .order_by("-filed_at")[:LIST_LIMIT]
    )
    return render(request, "dashboard/supervision/complaint_list.html", {
        "community": community, "form": form, "complaints": _mark_overdue(rows, timezone.now()),
        "section": "complaints",
    })


@official_required
def complaint_detail(request, pk):
    """The complaint and its answer, as the resident and the organisation see them."""
    complaint = get_object_or_404(
        _overseen(Complaint.objects, request.user, "project__community")
        .select_related("project__community", "routed_to", "resident", "duty", "responded_by"),
        pk=pk,
    )
    [complaint] = _mark_overdue([complaint], timezone.now())
    # The official handling the complaint may need to call the resident back: the contact details
    # follow partners.personal_data's rule, and a full view is audited.
    contact = contact_viewer_for(request).resident_contact(complaint.resident)
    return render(request, "dashboard/supervision/complaint_detail.html", {
        "complaint": complaint, "community": complaint.project.community, "section": "complaints",
        "contact": contact,
    })


# --- Risks -----------------------------------------------------------------------------------


@official_required
def risk_list(request, code):
    """A community's risks, those not closed by default; acknowledge in place, close with a note."""
    community = _community(request, code)
    form, filters = _filtered(forms.RiskFilterForm, request)
    rows = _overseen(Risk.objects, request.user, "community").filter(community=community, **filters)
    if not filters.get("status"):
        rows = rows.exclude(status=RiskStatus.CLOSED)
    rows = rows.select_related("project", "organisation").order_by("-raised_at")[:LIST_LIMIT]
    return render(request, "dashboard/supervision/risk_list.html", {
        "community": community, "form": form, "risks": rows, "section": "risks",
    })


def _risk(request, pk: int) -> Risk:
    return get_object_or_404(
        _overseen(Risk.objects, request.user, "community").select_related("community", "project", "organisation"),
        pk=pk,
    )


@official_required
@require_POST
def risk_acknowledge(request, pk):
    """Mark an open risk as being looked into; a refusal comes back as a message on the list."""
    risk = _risk(request, pk)
    form = forms.RiskAcknowledgeForm(request.POST)
    if form.is_valid() and call_service(form, risks.risk_acknowledge, risk=risk, user=request.user,
                                        **form.cleaned_data) is not None:
        messages.success(request, _("Risk acknowledged."))
    else:
        messages.error(request, " ".join(str(error) for error in form.non_field_errors()) or _("Not acknowledged."))
    return redirect("dashboard:risk_list", code=risk.community.code)


@official_required
def risk_close(request, pk):
    """Close a risk, saying what was found or done."""
    risk = _risk(request, pk)
    form = forms.RiskCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, risks.risk_close, risk=risk, user=request.user, **form.cleaned_data) is not None:
            messages.success(request, _("Risk closed."))
            return redirect("dashboard:risk_list", code=risk.community.code)
    return render(request, "dashboard/supervision/risk_close.html", {
        "risk": risk, "community": risk.community, "form": form, "section": "risks",
        "closable": risk.status != RiskStatus.CLOSED,
    })


# --- Supervision reports ---------------------------------------------------------------------


@official_required
def supervision_list(request, code):
    """The community's weekly and monthly supervision reports, newest first."""
    community = _community(request, code)
    rows = (
        _overseen(SupervisionReport.objects, request.user, "community")
        .filter(community=community).order_by("-period_start", "period_kind")[:LIST_LIMIT]
    )
    return render(request, "dashboard/supervision/supervision_list.html", {
        "community": community, "supervision_reports": rows, "section": "supervision",
    })


def _supervision_report(request, pk: int) -> SupervisionReport:
    return get_object_or_404(
        _overseen(SupervisionReport.objects, request.user, "community").select_related("community__street"), pk=pk
    )


@official_required
def supervision_detail(request, pk):
    """One report's figures by section, with its CSV download and printable page."""
    report = _supervision_report(request, pk)
    return render(request, "dashboard/supervision/supervision_detail.html", {
        "report": report, "community": report.community, "sections": supervision_report_sections(report), "section": "supervision",
    })


def _download_name(report: SupervisionReport, extension: str) -> str:
    return f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.{extension}"


@official_required
def supervision_csv(request, pk):
    report = _supervision_report(request, pk)
    response = HttpResponse(supervision_report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(report, "csv")}"'
    return response


@official_required
@csp_update({"style-src": ["'unsafe-inline'"]})  # the page carries its own print CSS (and no script)
def supervision_print(request, pk):
    """The printable page (the browser's "Print / Save as PDF" makes the PDF)."""
    report = _supervision_report(request, pk)
    return HttpResponse(supervision_report_html(report))


urls = [
    path("communities/<slug:code>/reports/", report_list, name="report_list"),
    path("reports/<int:pk>/", report_review, name="report_review"),
    path("reports/<int:pk>/attachments/<int:attachment_id>/", report_attachment, name="report_attachment"),
    path("communities/<slug:code>/inspections/", inspection_list, name="inspection_list"),
    path("communities/<slug:code>/inspections/new/", inspection_record, name="inspection_record"),
    path("communities/<slug:code>/breaches/", breach_list, name="breach_list"),
    path("breaches/<int:pk>/resolve/", breach_resolve, name="breach_resolve"),
    path("communities/<slug:code>/complaints/", complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", complaint_detail, name="complaint_detail"),
    path("communities/<slug:code>/risks/", risk_list, name="risk_list"),
    path("risks/<int:pk>/acknowledge/", risk_acknowledge, name="risk_acknowledge"),
    path("risks/<int:pk>/close/", risk_close, name="risk_close"),
    path("communities/<slug:code>/supervision/", supervision_list, name="supervision_list"),
    path("supervision/<int:pk>/", supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/csv/", supervision_csv, name="supervision_csv"),
    path("supervision/<int:pk>/print/", supervision_print, name="supervision_print"),
]
