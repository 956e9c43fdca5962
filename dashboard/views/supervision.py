"""Officials' supervision pages: report review, inspections, breaches, risks, supervision reports.

Complaints have their own module, dashboard.views.complaints.

Reads go through `<Model>.objects.visible_to(user)`, narrowed to the communities the official
oversees (an official who also works for a partner organisation must not supervise through
that membership); writes call the accountability and coproduction services. Every list makes
the same number of queries whatever its length: rows come with select_related, ages are
computed from the timestamps already loaded.
"""

from csp.decorators import csp_update
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.models import (
    Breach,
    BreachStatus,
    Inspection,
    InspectionPhoto,
    Risk,
    RiskStatus,
    SupervisionReport,
)
from accountability.services import breaches, inspections, risks
from accountability.services.supervision_reports import (
    supervision_report_csv,
    supervision_report_html,
    supervision_report_sections,
)
from coproduction.downloads import attachment_download
from coproduction.models import Project, ReportAttachment, ReportStatus, ServiceReport
from coproduction.services import reports
from dashboard.forms import supervision as forms
from partners.models import Community
from web.access import official_required
from web.workflows import call_service

LIST_LIMIT = 200


# --- Scoping ---------------------------------------------------------------------------------


def _community(request, code: str):
    """The community by code, among those the official oversees; 404 otherwise."""
    return get_object_or_404(Community.objects.overseen_by(request.user).select_related("street__district"), code=code)


def _overseen(queryset, user, community_path: str):
    """The rows the user may see that belong to a community the user oversees as an official."""
    overseen = Community.objects.overseen_by(user).values("pk")
    return queryset.visible_to(user).filter(**{f"{community_path}__in": overseen})


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
    return render(
        request,
        "dashboard/supervision/report_list.html",
        {
            "community": community,
            "form": form,
            "reports": rows,
            "section": "reports",
        },
    )


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
    return render(
        request,
        "dashboard/supervision/report_review.html",
        {
            "report": report,
            "community": report.project.community,
            "form": form,
            "section": "reports",
            "reviewable": report.status == ReportStatus.SUBMITTED,
        },
    )


@official_required
def report_attachment(request, pk, attachment_id):
    """One file of a report, served under a name the platform gives it (as the API does)."""
    report = get_object_or_404(_overseen(ServiceReport.objects, request.user, "project__community"), pk=pk)
    return attachment_download(get_object_or_404(ReportAttachment.objects.filter(report=report), pk=attachment_id))


# --- Inspections -----------------------------------------------------------------------------


@official_required
def inspection_list(request, code):
    """A community's inspections with their photos, newest first; filter by project."""
    community = _community(request, code)
    projects = _projects_of(community, request.user)
    form, filters = _filtered(forms.InspectionFilterForm, request, projects=projects)
    rows = (
        _overseen(Inspection.objects, request.user, "project__community")
        .filter(project__community=community, **filters)
        .select_related("project", "organisation", "inspector")
        .prefetch_related("photos")
        .order_by("-inspected_on", "-pk")[:LIST_LIMIT]
    )
    return render(
        request,
        "dashboard/supervision/inspection_list.html",
        {
            "community": community,
            "form": form,
            "inspections": rows,
            "section": "inspections",
        },
    )


def _checklist_rows_kept(data) -> list[dict]:
    """The checklist rows as typed, to show again with more blank rows (the "add rows" reload)."""
    typed = forms.ChecklistFormSet(data, prefix="checklist")
    if not typed.is_valid():
        return []
    marks: dict[bool | None, str] = {True: "yes", False: "no"}
    return [
        {**form.cleaned_data, "passed": marks.get(form.cleaned_data.get("passed"), "")}
        for form in typed.forms
        if form.entry() is not None
    ]


def _chosen_project(projects, value):
    """The project picked in the first step (a GET or POST value), among the community's; None otherwise."""
    return projects.filter(pk=value).select_related("service_item").first() if str(value or "").isdigit() else None


def _inspection_forms(projects, project, user, data=None):
    """The form and a checklist: from what was typed when `data` is given ("add rows"), else from the template."""
    if data is not None:
        rows = _checklist_rows_kept(data)
        initial = {name: data.get(name) for name in ("organisation", "inspected_on", "notes")}
    else:
        rows = [{"item": item, "passed": "", "note": ""} for item in inspections.inspection_template_items(project)]
        initial = {}
    checklist = forms.ChecklistFormSet(prefix="checklist", initial=rows)
    checklist.extra = forms.CHECKLIST_BLANK_ROWS
    form = forms.InspectionForm(initial={**initial, "project": project.pk}, projects=projects, project=project)
    return form, checklist


@official_required
def inspection_record(request, code):
    """Record an inspection in two steps: choose the project, then the form for it.

    The project decides the organisations offered (its current participants) and the checklist
    the form starts from (its service item's template); "add rows" reloads with more blank rows.
    """
    community = _community(request, code)
    projects = _projects_of(community, request.user)
    project = _chosen_project(projects, request.POST.get("project") or request.GET.get("project"))
    if project is None:
        chooser = forms.ProjectChoiceForm(request.GET or None, projects=projects)
        return render(
            request,
            "dashboard/supervision/inspection_form.html",
            {
                "community": community,
                "chooser": chooser,
                "section": "inspections",
            },
        )
    if request.method != "POST":
        form, checklist = _inspection_forms(projects, project, request.user)
    elif "more_rows" in request.POST:
        form, checklist = _inspection_forms(projects, project, request.user, data=request.POST)
    else:
        form = forms.InspectionForm(request.POST, request.FILES, projects=projects, project=project)
        checklist = forms.ChecklistFormSet(request.POST, prefix="checklist")
        if form.is_valid() and checklist.is_valid():
            inspection = call_service(
                form,
                inspections.inspection_record,
                user=request.user,
                checklist=forms.checklist_entries(checklist),
                **form.service_arguments(),
            )
            if inspection is not None:
                messages.success(
                    request, _("Inspection recorded: %(result)s.") % {"result": inspection.get_result_display()}
                )
                listing = reverse("dashboard:inspection_list", kwargs={"code": community.code})
                return redirect(f"{listing}?project={inspection.project_id}")
    return render(
        request,
        "dashboard/supervision/inspection_form.html",
        {
            "community": community,
            "project": project,
            "form": form,
            "checklist": checklist,
            "section": "inspections",
            "has_template": bool(inspections.inspection_template_items(project)),
        },
    )


@official_required
def inspection_photo(request, pk, photo_id):
    """One photo of an inspection, for the officials who oversee its community."""
    inspection = get_object_or_404(_overseen(Inspection.objects, request.user, "project__community"), pk=pk)
    photo = get_object_or_404(InspectionPhoto.objects.filter(inspection=inspection), pk=photo_id)
    return inspections.inspection_photo_download(photo)


@official_required
def inspection_templates(request, code):
    """The checklist templates of the service items the community's projects deliver."""
    community = _community(request, code)
    return render(
        request,
        "dashboard/supervision/inspection_templates.html",
        {
            "community": community,
            "section": "inspections",
            "service_items": inspections.inspection_template_items_in_use(community.pk),
        },
    )


@official_required
def inspection_template_edit(request, code, item_id):
    """Write or change the checklist template of one service item the community delivers."""
    community = _community(request, code)
    service_item = get_object_or_404(inspections.inspection_template_items_in_use(community.pk), pk=item_id)
    template = getattr(service_item, "inspection_template", None)
    initial = {"items": "\n".join(template.items)} if template is not None else {}
    form = forms.InspectionTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            inspections.inspection_template_save,
            service_item=service_item,
            user=request.user,
            community_id=community.pk,
            **form.service_arguments(),
        )
        if saved is not None:
            messages.success(request, _("Checklist template saved: %(item)s.") % {"item": service_item.name})
            return redirect("dashboard:inspection_templates", code=community.code)
    return render(
        request,
        "dashboard/supervision/inspection_template_form.html",
        {
            "community": community,
            "service_item": service_item,
            "form": form,
            "section": "inspections",
        },
    )


# --- Breaches --------------------------------------------------------------------------------


BREACHES_PER_PAGE = 50


@official_required
def breach_list(request, code):
    """A community's breaches, a page at a time, with how long each has been overdue; open ones by default.

    Filter by status, kind and severity; the page links keep the filters.
    """
    community = _community(request, code)
    form, filters = _filtered(forms.BreachFilterForm, request)
    if request.GET.get("status") is None:
        filters["status"] = BreachStatus.OPEN
        form = forms.BreachFilterForm(initial={"status": BreachStatus.OPEN})
    rows = (
        _overseen(Breach.objects, request.user, "project__community")
        .filter(project__community=community, **filters)
        .select_related("project", "organisation", "duty", "resolved_by", "complaint", "inspection")
        .order_by("detected_at", "pk")
    )
    page = Paginator(rows, BREACHES_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for breach in page:
        breach.age_days = breach.days_overdue(today)
    return render(
        request,
        "dashboard/supervision/breach_list.html",
        {
            "community": community,
            "form": form,
            "breaches": page.object_list,
            "page_obj": page,
            "section": "breaches",
        },
    )


@official_required
def breach_resolve(request, pk):
    """Close an open breach with a resolution and a sanction."""
    breach = get_object_or_404(
        _overseen(Breach.objects, request.user, "project__community").select_related(
            "project__community", "organisation", "duty", "resolved_by"
        ),
        pk=pk,
    )
    form = forms.BreachResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resolved = call_service(form, breaches.breach_resolve, breach=breach, user=request.user, **form.cleaned_data)
        if resolved is not None:
            messages.success(request, _("Breach resolved."))
            listing = reverse("dashboard:breach_list", kwargs={"code": breach.project.community.code})
            return redirect(f"{listing}?status=resolved")
    return render(
        request,
        "dashboard/supervision/breach_resolve.html",
        {
            "breach": breach,
            "community": breach.project.community,
            "form": form,
            "section": "breaches",
            "resolvable": breach.status == BreachStatus.OPEN,
        },
    )


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
    return render(
        request,
        "dashboard/supervision/risk_list.html",
        {
            "community": community,
            "form": form,
            "risks": rows,
            "section": "risks",
        },
    )


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
    if (
        form.is_valid()
        and call_service(form, risks.risk_acknowledge, risk=risk, user=request.user, **form.cleaned_data) is not None
    ):
        messages.success(request, _("Risk acknowledged."))
    else:
        messages.error(request, " ".join(str(error) for error in form.non_field_errors()) or _("Not acknowledged."))
    return redirect("dashboard:risk_list", code=risk.community.code)


@official_required
def risk_close(request, pk):
    """Close a risk, saying what was found or done."""
    risk = _risk(request, pk)
    form = forms.RiskCloseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, risks.risk_close, risk=risk, user=request.user, **form.cleaned_data) is not None
    ):
        messages.success(request, _("Risk closed."))
        return redirect("dashboard:risk_list", code=risk.community.code)
    return render(
        request,
        "dashboard/supervision/risk_close.html",
        {
            "risk": risk,
            "community": risk.community,
            "form": form,
            "section": "risks",
            "closable": risk.status != RiskStatus.CLOSED,
        },
    )


# --- Supervision reports ---------------------------------------------------------------------


@official_required
def supervision_list(request, code):
    """The community's weekly and monthly supervision reports, newest first."""
    community = _community(request, code)
    rows = (
        _overseen(SupervisionReport.objects, request.user, "community")
        .filter(community=community)
        .order_by("-period_start", "period_kind")[:LIST_LIMIT]
    )
    return render(
        request,
        "dashboard/supervision/supervision_list.html",
        {
            "community": community,
            "supervision_reports": rows,
            "section": "supervision",
        },
    )


def _supervision_report(request, pk: int) -> SupervisionReport:
    return get_object_or_404(
        _overseen(SupervisionReport.objects, request.user, "community").select_related("community__street"), pk=pk
    )


@official_required
def supervision_detail(request, pk):
    """One report's figures by section, with its CSV download and printable page."""
    report = _supervision_report(request, pk)
    return render(
        request,
        "dashboard/supervision/supervision_detail.html",
        {
            "report": report,
            "community": report.community,
            "sections": supervision_report_sections(report),
            "section": "supervision",
        },
    )


def _download_name(report: SupervisionReport, extension: str) -> str:
    return f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.{extension}"


@official_required
def supervision_csv(request, pk):
    report = _supervision_report(request, pk)
    response = HttpResponse(supervision_report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(report, "csv")}"'
    return response


@official_required
# django-csp types its decorators for views without URL arguments, hence the ignore.
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]  # the page carries its own print CSS
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
    path("inspections/<int:pk>/photos/<int:photo_id>/", inspection_photo, name="inspection_photo"),
    path("communities/<slug:code>/inspections/templates/", inspection_templates, name="inspection_templates"),
    path(
        "communities/<slug:code>/inspections/templates/<int:item_id>/",
        inspection_template_edit,
        name="inspection_template_edit",
    ),
    path("communities/<slug:code>/breaches/", breach_list, name="breach_list"),
    path("breaches/<int:pk>/resolve/", breach_resolve, name="breach_resolve"),
    path("communities/<slug:code>/risks/", risk_list, name="risk_list"),
    path("risks/<int:pk>/acknowledge/", risk_acknowledge, name="risk_acknowledge"),
    path("risks/<int:pk>/close/", risk_close, name="risk_close"),
    path("communities/<slug:code>/supervision/", supervision_list, name="supervision_list"),
    path("supervision/<int:pk>/", supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/csv/", supervision_csv, name="supervision_csv"),
    path("supervision/<int:pk>/print/", supervision_print, name="supervision_print"),
]
