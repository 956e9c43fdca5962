"""Admin for accountability: duties and their RACI matrix, inspections, complaints, breaches, risks, reports."""
from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction import admin as coproduction_admin
from coproduction.admin import FixedProjectMixin, ViewOnlyMixin, limit_to_participants
from coproduction.models import Project

from .models import (
    Breach,
    Complaint,
    Duty,
    DutyAssignment,
    DutyCompletion,
    Inspection,
    Risk,
    SupervisionReport,
)


def require_participant(form, field_name, project_id):
    """A duty's parties are participants of the duty's own project."""
    participation = form.cleaned_data.get(field_name)
    if participation and project_id and participation.project_id != project_id:
        form.add_error(field_name, _("The participant must take part in the duty's project."))


# --- Duties ----------------------------------------------------------------------------------


class DutyForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        project = cleaned_data.get("project")
        require_participant(self, "accountable", project.pk if project else self.instance.project_id)
        return cleaned_data


class DutyAssignmentForm(forms.ModelForm):
    class Meta:
        model = DutyAssignment
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        duty = cleaned_data.get("duty") or getattr(self.instance, "duty", None)
        require_participant(self, "participation", duty.project_id if duty else None)
        return cleaned_data


class DutyInline(admin.TabularInline):
    model = Duty
    fields = ["title", "accountable", "recurrence", "next_due_on", "status"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("accountable__organisation")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_to_participants(formset.form, "accountable", obj)
        return formset


# Duties belong on the project page, but coproduction must not import accountability, so this
# app re-registers the project admin with the duty inline appended.
admin.site.unregister(Project)


@admin.register(Project)
class ProjectAdmin(coproduction_admin.ProjectAdmin):
    inlines = [*coproduction_admin.ProjectAdmin.inlines, DutyInline]


class DutyAssignmentInline(admin.TabularInline):
    model = DutyAssignment
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participation__organisation")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_to_participants(formset.form, "participation", obj.project if obj else None)
        return formset


class DutyCompletionInline(admin.TabularInline):
    model = DutyCompletion
    extra = 0
    autocomplete_fields = ["completed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("completed_by")


@admin.register(Duty)
class DutyAdmin(FixedProjectMixin, admin.ModelAdmin):
    form = DutyForm
    list_display = ["title", "project", "accountable", "recurrence", "next_due_on", "status"]
    list_filter = ["status", "recurrence"]
    list_select_related = ["project", "accountable__organisation"]
    search_fields = ["title", "project__name", "accountable__organisation__name"]
    date_hierarchy = "next_due_on"
    autocomplete_fields = ["project"]
    # A participation reads "organisation (role)": the raw-id popup lists it with its project.
    raw_id_fields = ["accountable"]
    readonly_fields = ["created_at"]
    inlines = [DutyAssignmentInline, DutyCompletionInline]

    def get_inlines(self, request, obj):
        # Assignments name participants of the duty's project, known once the duty exists.
        return self.inlines if obj else []


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(admin.ModelAdmin):
    form = DutyAssignmentForm
    list_display = ["duty", "project", "participation", "role"]
    list_filter = ["role"]
    list_select_related = ["duty__project", "participation__organisation"]
    search_fields = ["duty__title", "duty__project__name", "participation__organisation__name"]
    autocomplete_fields = ["duty"]
    raw_id_fields = ["participation"]

    @admin.display(description=_("project"), ordering="duty__project__name")
    def project(self, obj):
        return obj.duty.project


@admin.register(DutyCompletion)
class DutyCompletionAdmin(admin.ModelAdmin):
    list_display = ["duty", "due_on", "completed_at", "completed_by"]
    list_select_related = ["duty", "completed_by"]
    search_fields = ["duty__title", "duty__project__name", "evidence"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["duty", "completed_by"]

    def get_changeform_initial_data(self, request):
        return {"completed_by": request.user.pk, **super().get_changeform_initial_data(request)}


# --- Supervision -----------------------------------------------------------------------------


@admin.register(Inspection)
class InspectionAdmin(FixedProjectMixin, admin.ModelAdmin):
    list_display = ["project", "organisation", "inspected_on", "result", "inspector"]
    list_filter = ["result"]
    list_select_related = ["project", "organisation", "inspector"]
    search_fields = ["project__name", "organisation__name", "notes"]
    date_hierarchy = "inspected_on"
    autocomplete_fields = ["project", "organisation", "inspector"]

    def get_changeform_initial_data(self, request):
        return {"inspector": request.user.pk, **super().get_changeform_initial_data(request)}


@admin.register(Complaint)
class ComplaintAdmin(FixedProjectMixin, admin.ModelAdmin):
    list_display = ["subject", "project", "resident", "routed_to", "status", "filed_at", "response_due_at",
                    "responded_at"]
    list_filter = ["status"]
    list_select_related = ["project", "resident", "routed_to"]
    search_fields = ["subject", "body", "project__name", "resident__name", "routed_to__name"]
    date_hierarchy = "filed_at"
    autocomplete_fields = ["project", "resident", "duty", "routed_to", "responded_by"]
    fieldsets = [
        (None, {"fields": ["project", "resident", "duty", "routed_to", "subject", "body", "filed_at",
                           "response_due_at"]}),
        (_("Response"), {"fields": ["status", "response", "responded_at", "responded_by", "closed_at"]}),
    ]


# --- Breaches and risks ----------------------------------------------------------------------


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ["kind", "organisation", "project", "severity", "status", "due_on", "detected_at", "sanction"]
    list_filter = ["status", "kind", "severity", "sanction"]
    list_select_related = ["organisation", "project"]
    search_fields = ["organisation__name", "project__name", "description"]
    date_hierarchy = "detected_at"
    autocomplete_fields = ["project", "organisation", "duty", "complaint", "claim", "inspection", "resolved_by"]
    fieldsets = [
        (None, {"fields": ["kind", "severity", "project", "organisation", "description", "details"]}),
        (_("Source"), {"fields": ["duty", "due_on", "complaint", "claim", "inspection", "detected_at",
                                  "updated_at"]}),
        (_("Resolution"), {"fields": ["status", "resolved_at", "resolved_by", "resolution", "sanction"]}),
    ]
    # What was missed, by whom, is the record itself; only its handling changes afterwards.
    source_fields = ["kind", "project", "organisation", "duty", "due_on", "complaint", "claim", "inspection",
                     "detected_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.source_fields, "updated_at"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        now = timezone.now()
        return {"detected_at": now, "updated_at": now, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if change:
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["kind", "summary", "community", "project", "organisation", "severity", "status", "raised_at"]
    list_filter = ["status", "kind", "severity", "community__street__district"]
    list_select_related = ["community", "project", "organisation"]
    search_fields = ["summary", "subject_key", "rule", "community__name", "project__name", "organisation__name"]
    date_hierarchy = "raised_at"
    autocomplete_fields = ["community", "project", "organisation"]

    def get_readonly_fields(self, request, obj=None):
        return ["updated_at"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        now = timezone.now()
        return {"raised_at": now, "updated_at": now, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if change:
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


# Supervision reports are snapshots the periodic job stores; the admin shows them.
@admin.register(SupervisionReport)
class SupervisionReportAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["community", "period_kind", "period_start", "period_end", "generated_at"]
    list_filter = ["period_kind", "community__street__district"]
    list_select_related = ["community"]
    search_fields = ["community__name"]
    date_hierarchy = "period_start"
