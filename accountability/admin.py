"""Admin for accountability: duties and their RACI matrix, inspections, complaints, breaches, risks, reports.

Every write with a rule goes through this app's services: duties are created, reassigned and
completed by accountability/services/duties.py, inspections recorded by inspection_record(), complaints
answered by complaint_answer(), breaches resolved by breach_resolve() and risks followed up by
accountability/services/risks.py. The records themselves are shown, with those steps as small forms.
"""
from csp.decorators import csp_update
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accountability.models import (
    Breach,
    BreachStatus,
    Complaint,
    Duty,
    DutyAssignment,
    DutyCompletion,
    DutyCompletionAttachment,
    DutyStatus,
    Inspection,
    InspectionPhoto,
    InspectionTemplate,
    RaciRole,
    Risk,
    RiskStatus,
    Sanction,
    SupervisionReport,
)
from accountability.services.breaches import breach_resolve
from accountability.services.complaints import AWAITING_RESPONSE, complaint_answer
from accountability.services.duties import (
    ASSIGNABLE_ROLES,
    duty_assign,
    duty_complete,
    duty_create,
    duty_set_accountable,
    duty_unassign,
)
from accountability.services.inspections import inspection_record, inspection_template_save
from accountability.services.risks import risk_acknowledge, risk_close
from accountability.services.supervision_reports import supervision_report_csv, supervision_report_html
from coproduction import admin as coproduction_admin
from coproduction.admin import (
    ServiceAddForm,
    ServiceAddMixin,
    ServiceFormMixin,
    ViewOnlyMixin,
    Workflow,
    WorkflowAdminMixin,
    WorkflowForm,
)
from coproduction.admin.common import download_link, show_refusal
from coproduction.models import Participation, Project

# --- Duties ----------------------------------------------------------------------------------


class DutyAddForm(ServiceAddForm):
    class Meta:
        model = Duty
        fields = ["project", "title", "description", "accountable", "recurrence", "next_due_on"]

    def create(self, cleaned_data):
        return duty_create(
            project=cleaned_data["project"], title=cleaned_data["title"], description=cleaned_data["description"],
            accountable=cleaned_data["accountable"], recurrence=cleaned_data["recurrence"],
            next_due_on=cleaned_data["next_due_on"], user=self.acting_user,
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


# Duties belong on the project page, but coproduction must not import accountability, so this
# app re-registers the project admin with the duty inline appended.
admin.site.unregister(Project)


@admin.register(Project)
class ProjectAdmin(coproduction_admin.ProjectAdmin):
    inlines = [*coproduction_admin.ProjectAdmin.inlines, DutyInline]


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


# --- Supervision -----------------------------------------------------------------------------


class InspectionAddForm(ServiceAddForm):
    class Meta:
        model = Inspection
        fields = ["project", "organisation", "inspected_on", "checklist", "notes"]
        help_texts = {
            "checklist": _('A list of items, e.g. [{"item": "Kitchen clean", "passed": true, "note": ""}]. '
                           "The result follows from it."),
        }

    def create(self, cleaned_data):
        return inspection_record(
            project=cleaned_data["project"], organisation=cleaned_data["organisation"], user=self.acting_user,
            inspected_on=cleaned_data["inspected_on"], checklist=cleaned_data["checklist"],
            notes=cleaned_data["notes"],
        )


# The inspector is whoever records it and the result is derived from the checklist; a failed
# inspection opens its breach at once.
@admin.register(Inspection)
class InspectionAdmin(ServiceAddMixin, admin.ModelAdmin):
    add_form = InspectionAddForm
    list_display = ["project", "organisation", "inspected_on", "result", "inspector"]
    list_filter = ["result"]
    list_select_related = ["project", "organisation", "inspector"]
    search_fields = ["project__name", "organisation__name", "notes"]
    date_hierarchy = "inspected_on"
    autocomplete_fields = ["project", "organisation"]


class InspectionTemplateForm(forms.ModelForm):
    """The checklist as one item a line; inspection_template_save() cleans and stores it."""

    items_text = forms.CharField(
        label=_("checklist items"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item a line, e.g. Kitchen clean."),
    )

    class Meta:
        model = InspectionTemplate
        fields = ["service_item"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["items_text"].initial = "\n".join(self.instance.items)
            # The template belongs to its item: another item gets a template of its own.
            self.fields["service_item"].disabled = True

    def clean(self):
        cleaned_data = super().clean()
        item = cleaned_data.get("service_item")
        if self.errors or item is None:
            return cleaned_data
        # A template serves every community delivering the item; the administrator acts through
        # any one of them, so that the service's rule (a project delivers it) still applies.
        community_id = Project.objects.filter(service_item=item).values_list("community_id", flat=True).first()
        try:
            self.instance = inspection_template_save(
                service_item=item, items=self.cleaned_data["items_text"].splitlines(), user=self.acting_user,
                community_id=community_id,
            )
        except (ValidationError, PermissionDenied) as refusal:
            show_refusal(self, refusal)
        return cleaned_data


# Templates are written by inspection_template_save(), which cleans the items and audits the change.
@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(ServiceFormMixin, admin.ModelAdmin):
    form = InspectionTemplateForm
    list_display = ["service_item", "item_count", "updated_at", "updated_by"]
    list_select_related = ["service_item", "updated_by"]
    search_fields = ["service_item__name", "service_item__code"]
    autocomplete_fields = ["service_item"]
    readonly_fields = ["updated_at", "updated_by"]
    fields = ["service_item", "items_text", "updated_at", "updated_by"]

    @admin.display(description=_("number of items"))
    def item_count(self, template):
        return len(template.items)

    def get_fields(self, request, obj=None):
        return self.fields if obj else ["service_item", "items_text"]

    def save_model(self, request, obj, form, change):
        pass  # The service saved it while the form was validated.


# Photos are stored by inspection_record(), re-encoded; they are opened through the API's
# permission-checked download, never through MEDIA_URL.
@admin.register(InspectionPhoto)
class InspectionPhotoAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "inspection", "content_type", "width", "height", "uploaded_at", "download"]
    list_select_related = ["inspection__project", "inspection__organisation"]
    search_fields = ["inspection__project__name", "inspection__organisation__name"]
    date_hierarchy = "uploaded_at"
    fields = ["inspection", "download", "content_type", "width", "height", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("photo"))
    def download(self, photo):
        return download_link("inspection-photo", pk=photo.inspection_id, photo_id=photo.pk)


class ComplaintAnswerForm(WorkflowForm):
    response = forms.CharField(label=_("response"), widget=forms.Textarea(attrs={"rows": 5}))


def answer(*, obj, user, data):
    return complaint_answer(complaint=obj, user=user, response=data["response"])


# Residents file complaints, which are routed and given a deadline by complaint_file().
@admin.register(Complaint)
class ComplaintAdmin(WorkflowAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "project", "resident", "routed_to", "status", "filed_at", "response_due_at",
                    "responded_at"]
    list_filter = ["status"]
    list_select_related = ["project", "resident", "routed_to"]
    search_fields = ["subject", "body", "project__name", "resident__name", "routed_to__name"]
    date_hierarchy = "filed_at"
    fieldsets = [
        (None, {"fields": ["project", "resident", "duty", "routed_to", "subject", "body", "filed_at",
                           "response_due_at", "deadline_extended_at"]}),
        (_("Response"), {"fields": ["status", "response", "responded_at", "responded_by", "closed_at", "closed_by",
                                    "closing_note"]}),
    ]
    workflows = (
        Workflow("answer", _("Answer"), ComplaintAnswerForm, answer, lambda c: c.status in AWAITING_RESPONSE),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]


# --- Breaches and risks ----------------------------------------------------------------------


class BreachResolveForm(WorkflowForm):
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 4}))
    sanction = forms.ChoiceField(
        label=_("sanction"), choices=Sanction.choices, initial=Sanction.NONE,
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
        (_("Source"), {"fields": ["duty", "due_on", "complaint", "claim", "inspection", "detected_at",
                                  "updated_at"]}),
        (_("Resolution"), {"fields": ["status", "resolved_at", "resolved_by", "resolution", "sanction"]}),
    ]
    workflows = (
        Workflow("resolve", _("Resolve"), BreachResolveForm, resolve, lambda b: b.status == BreachStatus.OPEN),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]


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
            request, queryset, lambda risk: risk_acknowledge(risk=risk, user=request.user),
            _("Acknowledged %(count)d risks."),
        )


# Supervision reports are snapshots the periodic job stores; the admin shows them.
@admin.register(SupervisionReport)
class SupervisionReportAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Read-only snapshots, each downloadable as CSV or opened as a printable page."""

    list_display = ["community", "period_kind", "period_start", "period_end", "generated_at", "downloads"]
    list_filter = ["period_kind", "community__street__district"]
    list_select_related = ["community"]
    search_fields = ["community__name"]
    date_hierarchy = "period_start"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/csv/", view(self.download_csv), name="accountability_supervisionreport_csv"),
            # The printable page carries its own print CSS (and no script).
            path(
                "<int:pk>/print/", view(csp_update({"style-src": ["'unsafe-inline'"]})(self.printable)),
                name="accountability_supervisionreport_print",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("download"))
    def downloads(self, report):
        return format_html(
            '<a href="{}">CSV</a> · <a href="{}">{}</a>',
            reverse("admin:accountability_supervisionreport_csv", args=[report.pk]),
            reverse("admin:accountability_supervisionreport_print", args=[report.pk]),
            _("print"),
        )

    def _report(self, request, pk):
        report = get_object_or_404(SupervisionReport.objects.select_related("community"), pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def download_csv(self, request, pk):
        report = self._report(request, pk)
        response = HttpResponse(supervision_report_csv(report), content_type="text/csv; charset=utf-8")
        filename = f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def printable(self, request, pk):
        return HttpResponse(supervision_report_html(self._report(request, pk)))
