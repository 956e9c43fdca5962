"""Admin for breaches, resolved (with their sanction) through breach_resolve()."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accountability.models import Breach, BreachStatus, Sanction
from accountability.services.breaches import breach_resolve
from common.admin_workflows import ViewOnlyMixin, Workflow, WorkflowAdminMixin, WorkflowForm


class BreachResolveForm(WorkflowForm):
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 4}))
    sanction = forms.ChoiceField(
        label=_("sanction"),
        choices=Sanction.choices,
        initial=Sanction.NONE,
        help_text=_("A suspension or a blacklisting also bars the organisation from applying to calls."),
    )


def resolve(*, obj, user, data):
    return breach_resolve(breach=obj, user=user, resolution=data["resolution"], sanction=data["sanction"])


# Breaches are opened by the detection jobs and by failed inspections; only their handling changes.
@admin.register(Breach)
class BreachAdmin(WorkflowAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["kind", "organisation", "project", "severity", "status", "due_on", "detected_at", "sanction"]
    list_filter = ["status", "kind", "severity", "sanction"]
    list_select_related = ["organisation", "project"]
    search_fields = ["organisation__name", "project__name", "description"]
    date_hierarchy = "detected_at"
    fieldsets = [
        (None, {"fields": ["kind", "severity", "project", "organisation", "description", "details"]}),
        (_("Source"), {"fields": ["duty", "due_on", "complaint", "claim", "inspection", "detected_at", "updated_at"]}),
        (_("Resolution"), {"fields": ["status", "resolved_at", "resolved_by", "resolution", "sanction"]}),
    ]
    workflows = (
        Workflow("resolve", _("Resolve"), BreachResolveForm, resolve, lambda b: b.status == BreachStatus.OPEN),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]
