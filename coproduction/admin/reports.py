"""Admin for service reports: figures and files as submitted, and the official's review.

Reports are submitted and resubmitted by the provider's staff (coproduction/services/reports.py), whose
checks on periods, figures and files the admin does not bypass: figures and attachments are shown,
and the review, accepting or returning with a comment, goes through report_review().
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from common.numbers import grouped
from coproduction.admin.common import ViewOnlyMixin, Workflow, WorkflowAdminMixin, WorkflowForm, download_link
from coproduction.models import ReportAttachment, ReportEvent, ReportStatus, ServiceReport
from coproduction.services.reports import report_review


class ReportAcceptForm(WorkflowForm):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportReturnForm(WorkflowForm):
    comment = forms.CharField(
        label=_("what must change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The provider's staff see this comment and resubmit the report."),
    )


def accept(*, obj, user, data):
    return report_review(report=obj, user=user, accept=True, comment=data["comment"])


def give_back(*, obj, user, data):
    return report_review(report=obj, user=user, accept=False, comment=data["comment"])


def awaiting_review(report) -> bool:
    return report.status == ReportStatus.SUBMITTED


@admin.display(description=_("file"))
def attachment_download(attachment: ReportAttachment) -> str:
    return download_link("service-report-attachment", pk=attachment.report_id, attachment_id=attachment.pk)


class ReportAttachmentInline(ViewOnlyMixin, admin.TabularInline):
    model = ReportAttachment
    # A read-only field may be a callable; the stubs allow names only.
    fields = [attachment_download, "original_name", "content_type", "size", "uploaded_at"]  # type: ignore[list-item]
    extra = 0


class ReportEventInline(ViewOnlyMixin, admin.TabularInline):
    model = ReportEvent
    fields = ["kind", "revision", "by", "at", "comment"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(ServiceReport)
class ServiceReportAdmin(WorkflowAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = [
        "project",
        "organisation",
        "period_start",
        "period_end",
        "status",
        "revision",
        "service_units",
        "balance",
        "submitted_at",
    ]
    list_filter = ["status", "organisation__kind"]
    list_select_related = ["project", "organisation"]
    search_fields = ["project__name", "organisation__name"]
    date_hierarchy = "period_start"
    fieldsets = [
        (None, {"fields": ["project", "organisation", "period_start", "period_end", "revision"]}),
        (
            _("Outputs and money"),
            {"fields": ["people_served", "service_units", "cost", "income", "subsidy", "balance", "narrative"]},
        ),
        (
            _("Submission and review"),
            {"fields": ["submitted_by", "submitted_at", "status", "reviewed_by", "reviewed_at", "review_comment"]},
        ),
    ]
    inlines = [ReportAttachmentInline, ReportEventInline]
    actions = ["accept_selected"]
    workflows = (
        Workflow("accept", _("Accept"), ReportAcceptForm, accept, awaiting_review),
        Workflow("return", _("Return with comment"), ReportReturnForm, give_back, awaiting_review),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]

    @admin.display(description=_("balance (yuan)"))
    def balance(self, obj):
        return grouped(obj.balance, 2)

    @admin.action(description=_("Accept selected reports"))
    def accept_selected(self, request, queryset):
        if not self.may_run_workflows(request):
            raise PermissionDenied
        self.run_for_each(
            request,
            queryset.select_related("project"),
            lambda report: report_review(report=report, user=request.user, accept=True),
            _("Accepted %(count)d reports."),
        )


# Files are attached when a report is submitted, where their type and size are checked.
@admin.register(ReportAttachment)
class ReportAttachmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "report", "content_type", "size", "uploaded_at"]
    list_select_related = ["report__project"]
    search_fields = ["original_name", "report__project__name", "report__organisation__name"]
    date_hierarchy = "uploaded_at"
    fields = [
        # A read-only field may be a callable; the stubs allow names only.
        "report",
        attachment_download,  # type: ignore[list-item]
        "original_name",
        "content_type",
        "size",
        "uploaded_at",
    ]


# A report's history, written by the report services with the figures as they stood.
@admin.register(ReportEvent)
class ReportEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "kind", "revision", "by", "at"]
    list_filter = ["kind"]
    list_select_related = ["report__project", "by"]
    search_fields = ["report__project__name", "report__organisation__name", "comment"]
    date_hierarchy = "at"
