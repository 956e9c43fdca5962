"""Admin for risks, acknowledged and closed through accountability/services/risks.py."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accountability.models import Risk, RiskStatus
from accountability.services.risks import risk_acknowledge, risk_close
from common.admin_workflows import ViewOnlyMixin, Workflow, WorkflowAdminMixin, WorkflowForm


class RiskCloseForm(WorkflowForm):
    note = forms.CharField(label=_("what was found or done"), widget=forms.Textarea(attrs={"rows": 4}))


def close(*, obj, user, data):
    return risk_close(risk=obj, user=user, note=data["note"])


# Risks are raised by the rules (rent-seeking, loss-making services); officials follow them up.
@admin.register(Risk)
class RiskAdmin(WorkflowAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["kind", "summary", "community", "project", "organisation", "severity", "status", "raised_at"]
    list_filter = ["status", "kind", "severity", "community__street__district"]
    list_select_related = ["community", "project", "organisation"]
    search_fields = ["summary", "subject_key", "rule", "community__name", "project__name", "organisation__name"]
    date_hierarchy = "raised_at"
    actions = ["acknowledge_selected"]
    workflows = (Workflow("close", _("Close"), RiskCloseForm, close, lambda r: r.status != RiskStatus.CLOSED),)

    @admin.action(description=_("Acknowledge selected risks"))
    def acknowledge_selected(self, request, queryset):
        if not self.may_run_workflows(request):
            raise PermissionDenied
        self.run_for_each(
            request,
            queryset,
            lambda risk: risk_acknowledge(risk=risk, user=request.user),
            _("Acknowledged %(count)d risks."),
        )
