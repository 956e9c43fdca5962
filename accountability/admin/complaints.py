"""Admin for residents' complaints, answered through complaint_answer()."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accountability.models import Complaint
from accountability.services.complaints import AWAITING_RESPONSE, complaint_answer
from common.admin_workflows import ViewOnlyMixin, Workflow, WorkflowAdminMixin, WorkflowForm


class ComplaintAnswerForm(WorkflowForm):
    response = forms.CharField(label=_("response"), widget=forms.Textarea(attrs={"rows": 5}))


def answer(*, obj, user, data):
    return complaint_answer(complaint=obj, user=user, response=data["response"])


# Residents file complaints, which are routed and given a deadline by complaint_file().
@admin.register(Complaint)
class ComplaintAdmin(WorkflowAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = [
        "subject",
        "project",
        "resident",
        "routed_to",
        "status",
        "filed_at",
        "response_due_at",
        "responded_at",
    ]
    list_filter = ["status"]
    list_select_related = ["project", "resident", "routed_to"]
    search_fields = ["subject", "body", "project__name", "resident__name", "routed_to__name"]
    date_hierarchy = "filed_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "project",
                    "resident",
                    "duty",
                    "routed_to",
                    "subject",
                    "body",
                    "filed_at",
                    "response_due_at",
                    "deadline_extended_at",
                ]
            },
        ),
        (
            _("Response"),
            {
                "fields": [
                    "status",
                    "response",
                    "responded_at",
                    "responded_by",
                    "closed_at",
                    "closed_by",
                    "closing_note",
                ]
            },
        ),
    ]
    workflows = (Workflow("answer", _("Answer"), ComplaintAnswerForm, answer, lambda c: c.status in AWAITING_RESPONSE),)

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]
