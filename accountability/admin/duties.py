"""Admin for duties and their RACI matrix: created, reassigned and completed by accountability/services/duties.py.

The duty inline is shown on the project's page, which the project composes from every app's
inlines (config/admin.py).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accountability.models import Duty, DutyAssignment, DutyCompletion, DutyCompletionAttachment, DutyStatus, RaciRole
from accountability.services.duties import (
    ASSIGNABLE_ROLES,
    duty_assign,
    duty_complete,
    duty_create,
    duty_set_accountable,
    duty_unassign,
)
from common.admin_workflows import ViewOnlyMixin, Workflow, WorkflowAdminMixin, WorkflowForm
from coproduction.admin import ServiceAddForm, ServiceAddMixin
from coproduction.admin.common import download_link
from coproduction.models import Participation


class DutyAddForm(ServiceAddForm):
    class Meta:
        model = Duty
        fields = ["project", "title", "description", "accountable", "recurrence", "next_due_on"]

    def create(self, cleaned_data):
        return duty_create(
            project=cleaned_data["project"],
            title=cleaned_data["title"],
            description=cleaned_data["description"],
            accountable=cleaned_data["accountable"],
            recurrence=cleaned_data["recurrence"],
            next_due_on=cleaned_data["next_due_on"],
            user=self.acting_user,
        )


class DutyPartyForm(WorkflowForm):
    """Offers the duty's project's current participants."""

    participation = forms.ModelChoiceField(label=_("participant"), queryset=Participation.objects.none())

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["participation"].queryset = Participation.objects.filter(
            project_id=obj.project_id, left_on__isnull=True
        ).select_related("organisation")


class DutyRoleForm(DutyPartyForm):
    role = forms.ChoiceField(
        label=_("role"), choices=[(role.value, role.label) for role in RaciRole if role in ASSIGNABLE_ROLES]
    )


class DutyAccountableForm(DutyPartyForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DutyCompleteForm(WorkflowForm):
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["evidence"].help_text = _("For the occurrence due on %(date)s.") % {"date": obj.next_due_on}


def assign(*, obj, user, data):
    return duty_assign(duty=obj, participation=data["participation"], role=data["role"], user=user)


def unassign(*, obj, user, data):
    return duty_unassign(duty=obj, participation=data["participation"], role=data["role"], user=user)


def set_accountable(*, obj, user, data):
    return duty_set_accountable(duty=obj, participation=data["participation"], user=user, reason=data["reason"])


def complete(*, obj, user, data):
    # The occurrence shown on the page, so that one completed meanwhile is not completed twice.
    return duty_complete(duty=obj, user=user, evidence=data["evidence"], due_on=obj.next_due_on)


def active(duty) -> bool:
    return duty.status == DutyStatus.ACTIVE


class DutyInline(ViewOnlyMixin, admin.TabularInline):
    model = Duty
    fields = ["title", "accountable", "recurrence", "next_due_on", "status"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("accountable__organisation")


class DutyAssignmentInline(ViewOnlyMixin, admin.TabularInline):
    model = DutyAssignment
    fields = ["participation", "role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participation__organisation")


class DutyCompletionInline(ViewOnlyMixin, admin.TabularInline):
    model = DutyCompletion
    fields = ["due_on", "completed_at", "completed_by", "evidence"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("completed_by")


@admin.register(Duty)
class DutyAdmin(WorkflowAdminMixin, ServiceAddMixin, admin.ModelAdmin):
    add_form = DutyAddForm
    list_display = ["title", "project", "accountable", "recurrence", "next_due_on", "status"]
    list_filter = ["status", "recurrence"]
    list_select_related = ["project", "accountable__organisation"]
    search_fields = ["title", "project__name", "accountable__organisation__name"]
    date_hierarchy = "next_due_on"
    autocomplete_fields = ["project"]
    # A participation reads "organisation (role)": the raw-id popup lists it with its project.
    raw_id_fields = ["accountable"]
    inlines = [DutyAssignmentInline, DutyCompletionInline]
    workflows = (
        Workflow("complete", _("Complete the current occurrence"), DutyCompleteForm, complete, active),
        Workflow("assign", _("Assign a role"), DutyRoleForm, assign),
        Workflow("unassign", _("Take a role away"), DutyRoleForm, unassign),
        Workflow("accountable", _("Change the accountable party"), DutyAccountableForm, set_accountable),
    )


# The matrix and the completions are written by the duty services; a duty's page offers them.
@admin.register(DutyAssignment)
class DutyAssignmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["duty", "project", "participation", "role"]
    list_filter = ["role"]
    list_select_related = ["duty__project", "participation__organisation"]
    search_fields = ["duty__title", "duty__project__name", "participation__organisation__name"]

    @admin.display(description=_("project"), ordering="duty__project__name")
    def project(self, obj):
        return obj.duty.project


@admin.register(DutyCompletion)
class DutyCompletionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["duty", "due_on", "completed_at", "completed_by"]
    list_select_related = ["duty", "completed_by"]
    search_fields = ["duty__title", "duty__project__name", "evidence"]
    date_hierarchy = "due_on"


# Evidence files are stored by duty_complete() after their contents are checked; they are opened
# through the permission-checked download, never through MEDIA_URL.
@admin.register(DutyCompletionAttachment)
class DutyCompletionAttachmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "completion", "content_type", "size", "uploaded_at", "download"]
    list_select_related = ["completion__duty"]
    search_fields = ["original_name", "completion__duty__title"]
    fields = ["completion", "original_name", "download", "content_type", "size", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("file"))
    def download(self, attachment):
        return download_link(
            "partner_portal:duty_completion_attachment", pk=attachment.completion_id, attachment_id=attachment.pk
        )
