"""Open calls the user's organisations may answer, applying to one (with files), and withdrawing an application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.admin_workflows import refusal_text
from common.scoping import visible_or_404
from coproduction.downloads import stored_attachment_download
from coproduction.models import Application, ApplicationAttachment, Call
from coproduction.services.selection import MAX_SCORE, application_submit, application_withdraw, take_part_refusal
from partner_portal.forms import ApplicationForm
from partner_portal.selectors import applications_of, open_calls
from partners.roles import organisations_of
from web.access import staff_required
from web.workflows import call_service


def _eligibility(call: Call, organisations, applied: set[tuple[int, int]]) -> list[dict]:
    """For each organisation the user manages: applied already, may apply, or why not (the domain's rule)."""
    rows = []
    for organisation in organisations:
        refusal = take_part_refusal(organisation=organisation, project=call.project)
        rows.append(
            {
                "organisation": organisation,
                "applied": (call.pk, organisation.pk) in applied,
                "refusal": refusal_text(refusal) if refusal is not None else "",
            }
        )
    return rows


@staff_required
def calls(request):
    """Open calls, each with whether the organisations the user manages may apply; then our applications."""
    managed = list(organisations_of(request.user, managed=True))
    applications = list(applications_of(request.user))
    applied = {(application.call_id, application.organisation_id) for application in applications}
    listed = list(open_calls(request.user))
    for call in listed:
        call.eligibility = _eligibility(call, managed, applied)
        call.may_apply = any(not row["applied"] and not row["refusal"] for row in call.eligibility)
    return render(
        request,
        "partner_portal/calls.html",
        {
            "calls": listed,
            "applications": applications,
            "manages": bool(managed),
            "managed_ids": {organisation.pk for organisation in managed},
        },
    )


@staff_required
def apply(request, pk):
    """The application form, under the call's scoring criteria so that the proposal can answer each one."""
    calls_shown = Call.objects.select_related("project__community", "project__service_item")
    call = visible_or_404(calls_shown.prefetch_related("criteria"), request.user, pk=pk)
    managed = organisations_of(request.user, managed=True)
    if not managed.exists():
        raise PermissionDenied(_("Only a manager of an organisation may apply for it."))
    form = ApplicationForm(request.POST or None, request.FILES or None, organisations=managed)
    if request.method == "POST" and form.is_valid():
        application = call_service(form, application_submit, call=call, user=request.user, **form.cleaned_data)
        if application is not None:
            messages.success(
                request, _("Application submitted for %(organisation)s.") % {"organisation": application.organisation}
            )
            return redirect("partner_portal:calls")
    return render(
        request,
        "partner_portal/apply.html",
        {
            "call": call,
            "form": form,
            "max_score": MAX_SCORE,
        },
    )


@staff_required
@require_POST
def withdraw(request, pk):
    """Withdraw before the deadline; a refusal (deadline passed, already decided) comes back as a message."""
    application = visible_or_404(Application.objects.select_related("call"), request.user, pk=pk)
    try:
        application_withdraw(application=application, user=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("partner_portal:calls")


@login_required
def application_attachment(request, pk, attachment_id):
    """One file of an application the user may see: their organisation's, or one to a call of a community they
    oversee (officials review the application with its files)."""
    application = visible_or_404(Application.objects, request.user, pk=pk)
    attachment = get_object_or_404(ApplicationAttachment.objects.filter(application=application), pk=attachment_id)
    return stored_attachment_download(attachment, prefix=f"application-{application.pk}")
