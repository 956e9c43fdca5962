"""Service reports: a project's reports, submitting one with files, withdrawing and fixing one, its files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.admin_workflows import refusal_text
from common.scoping import visible_or_404
from coproduction.downloads import attachment_download
from coproduction.models import Project, ReportAttachment, ReportEvent, ReportStatus, ServiceReport
from coproduction.services.reports import (
    FIGURES,
    RESUBMITTABLE_STATUSES,
    may_withdraw,
    report_resubmit,
    report_submit,
    report_withdraw,
)
from partner_portal.forms import ReportResubmitForm, ReportSubmitForm
from partner_portal.selectors import reporting_organisations, reports_of
from partners.roles import is_member_of
from web.access import staff_required
from web.workflows import call_service


@staff_required
def project_reports(request, pk):
    """The reports the user's organisations made on one project, latest period first."""
    project = visible_or_404(Project.objects.select_related("community"), request.user, pk=pk)
    reports = reports_of(request.user).filter(project=project).order_by("-period_start", "pk")
    return render(
        request,
        "partner_portal/project_reports.html",
        {
            "project": project,
            "reports": reports,
            "may_report": reporting_organisations(request.user, project).exists(),
        },
    )


@staff_required
def report_new(request, pk):
    """The multipart report form; a refusal comes back on its fields with everything typed kept."""
    project = visible_or_404(Project.objects.select_related("community"), request.user, pk=pk)
    organisations = reporting_organisations(request.user, project)
    if not organisations.exists():
        raise PermissionDenied(_("None of your organisations takes part in this project."))
    form = ReportSubmitForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        report = call_service(form, report_submit, project=project, user=request.user, **form.cleaned_data)
        if report is not None:
            messages.success(request, _("Report submitted for review."))
            return redirect("partner_portal:report", pk=report.pk)
    return render(request, "partner_portal/report_form.html", {"project": project, "form": form})


def _report_with_history(user, pk) -> ServiceReport:
    events = ReportEvent.objects.select_related("by").order_by("at", "pk")
    reports = ServiceReport.objects.select_related("project__community", "organisation", "reviewed_by")
    return visible_or_404(reports.prefetch_related("attachments", Prefetch("events", queryset=events)), user, pk=pk)


@staff_required
def report_detail(request, pk):
    """A report, its files and history; a returned or withdrawn one offers the form to correct and resubmit it."""
    report = _report_with_history(request.user, pk)
    member = is_member_of(request.user, report.organisation_id)
    may_fix = report.status in RESUBMITTABLE_STATUSES and member
    form = None
    if may_fix:
        initial = {name: getattr(report, name) for name in (*FIGURES, "period_start", "period_end", "narrative")}
        form = ReportResubmitForm(request.POST or None, request.FILES or None, initial=initial)
    elif request.method == "POST":
        raise PermissionDenied(
            _("Only a report returned for changes or withdrawn can be submitted again, by its organisation.")
        )
    if form is not None and request.method == "POST" and form.is_valid():
        resubmitted = call_service(form, report_resubmit, report=report, user=request.user, **form.cleaned_data)
        if resubmitted is not None:
            messages.success(request, _("Report resubmitted for review."))
            return redirect("partner_portal:report", pk=report.pk)
    return render(
        request,
        "partner_portal/report_detail.html",
        {
            "report": report,
            "form": form,
            "may_withdraw": report.status == ReportStatus.SUBMITTED and member and may_withdraw(request.user, report),
        },
    )


@staff_required
@require_POST
def report_withdraw_page(request, pk):
    """Take a submitted report back before review; a refusal (reviewed meanwhile) comes back as a message."""
    report = visible_or_404(ServiceReport.objects, request.user, pk=pk)
    try:
        report_withdraw(report=report, user=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
    else:
        messages.success(request, _("Report withdrawn: correct it below and submit it again."))
    return redirect("partner_portal:report", pk=report.pk)


@staff_required
def report_attachment(request, pk, attachment_id):
    """One file of a report the user may see, under the name the platform gives it (as the API does)."""
    report = visible_or_404(ServiceReport.objects, request.user, pk=pk)
    return attachment_download(get_object_or_404(ReportAttachment.objects.filter(report=report), pk=attachment_id))
