"""The bridge from a page's form to a domain service: a refusal becomes inline form errors.

Pages write only by calling the domain service (the same function the API and the admin
call). A refusal (django ValidationError) is shown on the form, on the field it names when the
form has that field and at the top otherwise, and the bound form is rendered again so that
nothing the user typed is lost (uploaded files must be chosen again: say so in the field's
help text). PermissionDenied is not caught: it becomes the 403 page.

    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = call_service(form, report_submit, project=project, user=request.user, **form.cleaned_data)
        if report is not None:
            messages.success(request, _("Report submitted."))
            return redirect("partner_portal:report", pk=report.pk)
    return render(request, "partner_portal/report_form.html", {"form": form})

Render the form with {% include "web/form.html" %} (labels, help, errors linked to their
fields with aria-describedby and aria-invalid).
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from common.admin_workflows import show_refusal

Result = TypeVar("Result")


def call_service(form: forms.Form, service: Callable[..., Result], /, **kwargs) -> Result | None:
    """Run `service(**kwargs)` and return its result; on ValidationError add the messages to
    `form` and return None.

    Call it after form.is_valid(). For a service that itself returns None, test `form.errors`
    afterwards to tell success from refusal.
    """
    try:
        return service(**kwargs)
    except ValidationError as refusal:
        show_refusal(form, refusal)
        return None
