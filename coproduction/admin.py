"""Admin for coproduction: projects and their partners, selection, reports, residents' tasks, job runs.

Writes that have a domain service go through it: contributions recompute the project's government
share, stage moves and the governance authority go through the lifecycle services, claims are
made and released by the claim functions. Records that a workflow or a job writes (transitions'
history, reviews, report events, check-ins, job runs) are shown, not edited.
"""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .lifecycle import project_transition
from .models import (
    Application,
    Call,
    CheckIn,
    Claim,
    ClaimStatus,
    ConflictDeclaration,
    Contribution,
    Criterion,
    JobRun,
    Mode,
    Need,
    Participation,
    Project,
    ProjectTransition,
    ReportAttachment,
    ReportEvent,
    Review,
    ReviewScore,
    ServiceReport,
    Task,
)
from .services import claim_create, claim_release, project_set_authority, projects_recompute_concentration

# --- Shared pieces, also used by the admins of the higher apps -------------------------------


class ViewOnlyMixin:
    """For records a workflow or job writes: the admin shows them but neither adds nor changes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Everything shown is displayed, the fields filled in automatically (created_at) included.
        return self.fields or [field.name for field in self.model._meta.fields if not field.auto_created]


def run_service(service, **kwargs):
    """Call a domain service from a form's clean(): a refusal, permission included, is a form error."""
    try:
        return service(**kwargs)
    except PermissionDenied as refusal:
        raise ValidationError(str(refusal) or _("You may not do this.")) from refusal


class ServiceFormMixin:
    """For admins whose form calls a domain service while it is validated, so that the service's
    refusals show on the form: when the page comes back with errors, whatever a service wrote
    during validation is undone, and a form that passed is saved by the service alone.

    The form class gets `acting_user`, the user the service acts for.
    """

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user  # A fresh class per request: modelform_factory builds one each time.
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.method == "POST" and getattr(response, "context_data", {}).get("errors"):
                transaction.set_rollback(True)
        return response


class WeightsAddUpTo100FormSet(forms.BaseInlineFormSet):
    """Criteria of a call and indicators of a service item: weights that must add up to 100 as a set."""

    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if "weight" in form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if weights and sum(weights) != 100:
            raise ValidationError(
                _("The weights add up to %(total)d; they must add up to 100."), params={"total": sum(weights)}
            )


def limit_to_participants(form_class, field_name, project):
    """Offer only the participations of this project (none before the project exists)."""
    field = form_class.base_fields.get(field_name)
    if field is not None:
        participations = Participation.objects.select_related("organisation")
        field.queryset = participations.filter(project=project) if project else participations.none()


def recompute_concentration(*project_ids):
    projects_recompute_concentration(projects=Project.objects.filter(pk__in=project_ids))


# --- Projects --------------------------------------------------------------------------------


class ModeFilter(admin.SimpleListFilter):
    # `mode` is a generated column without choices of its own, so the list filter names them.
    title = _("coproduction mode")
    parameter_name = "mode"

    def lookups(self, request, model_admin):
        return Mode.choices

    def queryset(self, request, queryset):
        return queryset.filter(mode=self.value()) if self.value() else queryset


class ProjectForm(forms.ModelForm):
    """The governance authority is the official's judgement: a change goes through project_set_authority()."""

    class Meta:
        model = Project
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        authority_changed = {"governance_authority", "authority_reason"} & set(self.changed_data)
        if self.instance.pk and authority_changed and not self.errors:
            run_service(
                project_set_authority, project=self.instance, level=cleaned_data.get("governance_authority", ""),
                reason=cleaned_data.get("authority_reason", ""), user=self.acting_user,
            )
        return cleaned_data


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    fields = ["participation", "kind", "description", "quantity", "unit", "value", "contributed_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participation__organisation")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_to_participants(formset.form, "participation", obj)
        return formset


@admin.register(Project)
class ProjectAdmin(ServiceFormMixin, admin.ModelAdmin):
    form = ProjectForm
    list_display = [
        "name", "community", "service_item", "stage", "governance_authority", "government_share",
        "mode_display", "start_date", "end_date",
    ]
    list_filter = ["stage", "governance_authority", ModeFilter, "community__street__district"]
    list_select_related = ["community", "service_item"]
    search_fields = ["name", "community__name", "service_item__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["community", "service_item"]
    # The stage moves only through project_transition(); the share is recomputed from contributions,
    # and concentration and mode are generated from it.
    readonly_fields = [
        "stage_display", "government_share", "resource_concentration_display", "mode_display", "created_by",
        "created_at", "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "community", "service_item", "stage_display", "description"]}),
        (_("Term and budget"), {"fields": ["start_date", "end_date", "budget", "asset_justification"]}),
        (_("Coproduction mode"), {
            "fields": [
                "governance_authority", "authority_reason", "government_share",
                "resource_concentration_display", "mode_display",
            ],
        }),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    inlines = [ParticipationInline, ContributionInline]

    @admin.display(description=_("stage"))
    def stage_display(self, obj):
        if obj.pk is None:
            return obj.get_stage_display()
        move = reverse("admin:coproduction_projecttransition_add") + f"?project={obj.pk}"
        return format_html('{} (<a href="{}">{}</a>)', obj.get_stage_display(), move, _("move to another stage"))

    @admin.display(description=_("coproduction mode"), ordering="mode")
    def mode_display(self, obj):
        return obj.get_mode_display()

    @admin.display(description=_("resource concentration"), ordering="resource_concentration")
    def resource_concentration_display(self, obj):
        return obj.get_resource_concentration_display()

    def get_inlines(self, request, obj):
        # Contributions (and duties) name one of the project's participants, so they wait until it exists.
        return self.inlines if obj else [ParticipationInline]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Contributions and participants (their kinds) decide the government share.
        recompute_concentration(form.instance.pk)


class FixedProjectMixin:
    """The project a row belongs to is fixed once the row exists."""

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "project"]
        return self.readonly_fields


class ProjectTransitionAddForm(forms.ModelForm):
    """A move is only ever made by project_transition(), which checks the move and its guards."""

    class Meta:
        model = ProjectTransition
        fields = ["project", "to_stage", "reason"]

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors:
            self.instance = run_service(
                project_transition, project=cleaned_data["project"], to_stage=cleaned_data["to_stage"],
                user=self.acting_user, reason=cleaned_data["reason"],
            )
        return cleaned_data


# Adding a transition moves the project; the history itself is never edited or deleted.
@admin.register(ProjectTransition)
class ProjectTransitionAdmin(ServiceFormMixin, admin.ModelAdmin):
    list_display = ["project", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["project", "by"]
    search_fields = ["project__name", "reason"]
    date_hierarchy = "at"
    autocomplete_fields = ["project"]
    add_form = ProjectTransitionAddForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["project", "to_stage", "reason"]
        return ["project", "from_stage", "to_stage", "by", "at", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # project_transition() saved it while the form was validated.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participation)
class ParticipationAdmin(FixedProjectMixin, admin.ModelAdmin):
    list_display = ["organisation", "project", "role", "joined_on", "left_on"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["organisation", "project"]
    search_fields = ["organisation__name", "project__name"]
    date_hierarchy = "joined_on"
    autocomplete_fields = ["project", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recompute_concentration(obj.project_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recompute_concentration(obj.project_id)

    def delete_queryset(self, request, queryset):
        project_ids = list(queryset.values_list("project_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        recompute_concentration(*project_ids)


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["project", "participation", "kind", "value", "quantity", "unit", "contributed_on"]
    list_filter = ["kind", "participation__organisation__kind"]
    list_select_related = ["project", "participation__organisation"]
    search_fields = ["project__name", "participation__organisation__name", "description"]
    date_hierarchy = "contributed_on"
    # A participation reads "organisation (role)": the raw-id popup lists it with its project.
    raw_id_fields = ["participation"]
    # The project is always the participation's, as in contribution_add().
    readonly_fields = ["project"]
    fields = ["project", "participation", "kind", "description", "quantity", "unit", "value", "contributed_on"]

    def save_model(self, request, obj, form, change):
        obj.project_id = obj.participation.project_id
        super().save_model(request, obj, form, change)
        recompute_concentration(obj.project_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recompute_concentration(obj.project_id)

    def delete_queryset(self, request, queryset):
        project_ids = list(queryset.values_list("project_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        recompute_concentration(*project_ids)


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "resident", "service_item", "status", "created_at"]
    list_filter = ["status", "community__street__district"]
    list_select_related = ["community", "resident", "service_item"]
    search_fields = ["title", "description", "community__name", "resident__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["community", "resident", "service_item"]


# --- Selection -------------------------------------------------------------------------------


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = WeightsAddUpTo100FormSet
    extra = 0


class ApplicationInline(ViewOnlyMixin, admin.TabularInline):
    model = Application
    fields = ["organisation", "status", "proposed_budget", "submitted_at"]
    can_delete = False
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(Call)
class CallAdmin(FixedProjectMixin, admin.ModelAdmin):
    list_display = ["title", "project", "status", "deadline", "min_reviewers", "application_count", "awarded_at"]
    list_filter = ["status", "single_applicant", "against_ranking"]
    list_select_related = ["project"]
    search_fields = ["title", "project__name"]
    date_hierarchy = "deadline"
    autocomplete_fields = ["project", "opened_by", "awarded_by"]
    # The red flags are worked out from the ranking when the call is awarded.
    readonly_fields = ["opened_at", "single_applicant", "against_ranking"]
    fieldsets = [
        (None, {"fields": ["project", "title", "description", "deadline", "status", "min_reviewers"]}),
        (_("Opened"), {"fields": ["opened_by", "opened_at"]}),
        (_("Award"), {"fields": [
            "awarded_application", "award_reason", "awarded_by", "awarded_at", "single_applicant", "against_ranking",
        ]}),
    ]
    inlines = [CriterionInline, ApplicationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    @admin.display(description=_("applications"), ordering="application_count")
    def application_count(self, obj):
        return obj.application_count

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Only one of this call's own applications can win it.
        field = form.base_fields.get("awarded_application")
        if field is not None:
            applications = Application.objects.select_related("organisation", "call")
            field.queryset = applications.filter(call=obj) if obj else applications.none()
        return form

    def get_changeform_initial_data(self, request):
        return {"opened_by": request.user.pk, **super().get_changeform_initial_data(request)}


class ReviewInline(ViewOnlyMixin, admin.TabularInline):
    model = Review
    fields = ["reviewer", "total", "submitted_at"]
    can_delete = False
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "call", "status", "proposed_budget", "submitted_at", "review_count", "mean_total"]
    list_filter = ["status", "organisation__kind"]
    list_select_related = ["organisation", "call"]
    search_fields = ["organisation__name", "call__title", "call__project__name"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["call", "organisation", "submitted_by"]
    readonly_fields = ["submitted_at"]
    inlines = [ReviewInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(review_count=Count("reviews"), mean_total=Avg("reviews__total"))

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, obj):
        return obj.review_count

    @admin.display(description=_("mean review total"), ordering="mean_total")
    def mean_total(self, obj):
        return None if obj.mean_total is None else round(obj.mean_total, 2)

    def get_changeform_initial_data(self, request):
        return {"submitted_by": request.user.pk, **super().get_changeform_initial_data(request)}


class ReviewScoreInline(ViewOnlyMixin, admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "score"]
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


# Reviews are scored by reviewers through the selection workflow, which checks conflicts of
# interest and stores the weighted total: the admin shows them and may delete one made in error.
@admin.register(Review)
class ReviewAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "reviewer", "total", "submitted_at"]
    list_select_related = ["application__organisation", "application__call", "reviewer"]
    search_fields = ["application__organisation__name", "application__call__title", "reviewer__username",
                     "reviewer__display_name"]
    date_hierarchy = "submitted_at"
    inlines = [ReviewScoreInline]


@admin.register(ReviewScore)
class ReviewScoreAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["review", "criterion", "score"]
    list_select_related = [
        "review__reviewer", "review__application__organisation", "review__application__call", "criterion",
    ]
    search_fields = ["criterion__name", "review__application__organisation__name"]

    def has_delete_permission(self, request, obj=None):
        return False  # Part of its review.


# Criteria are edited as a set on their call, where the weights are checked to add up to 100.
@admin.register(Criterion)
class CriterionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "call", "weight"]
    list_select_related = ["call"]
    search_fields = ["name", "call__title"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "organisation", "call", "reason", "declared_at"]
    list_select_related = ["reviewer", "organisation", "call"]
    search_fields = ["reviewer__username", "reviewer__display_name", "organisation__name", "call__title"]
    date_hierarchy = "declared_at"
    autocomplete_fields = ["reviewer", "organisation", "call"]


# --- Service reports -------------------------------------------------------------------------


class ReportAttachmentForm(forms.ModelForm):
    """An uploaded file; its name, type and size are read from the upload, not typed in."""

    class Meta:
        model = ReportAttachment
        fields = ["report", "file"]

    def save(self, commit=True):
        if "file" in self.changed_data:
            upload = self.cleaned_data["file"]
            self.instance.original_name = upload.name[:255]
            self.instance.content_type = getattr(upload, "content_type", "") or "application/octet-stream"
            self.instance.size = upload.size
        return super().save(commit)


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    form = ReportAttachmentForm
    fields = ["file", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]
    extra = 0


class ReportEventInline(ViewOnlyMixin, admin.TabularInline):
    model = ReportEvent
    fields = ["kind", "revision", "by", "at", "comment"]
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(ServiceReport)
class ServiceReportAdmin(FixedProjectMixin, admin.ModelAdmin):
    list_display = [
        "project", "organisation", "period_start", "period_end", "status", "revision", "service_units",
        "balance", "submitted_at",
    ]
    list_filter = ["status", "organisation__kind"]
    list_select_related = ["project", "organisation"]
    search_fields = ["project__name", "organisation__name"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["project", "organisation", "submitted_by", "reviewed_by"]
    fieldsets = [
        (None, {"fields": ["project", "organisation", "period_start", "period_end", "revision"]}),
        (_("Outputs and money"), {"fields": ["people_served", "service_units", "cost", "income", "subsidy",
                                             "narrative"]}),
        (_("Submission and review"), {"fields": ["submitted_by", "submitted_at", "status", "reviewed_by",
                                                 "reviewed_at", "review_comment"]}),
    ]
    inlines = [ReportAttachmentInline, ReportEventInline]

    @admin.display(description=_("balance (yuan)"))
    def balance(self, obj):
        return obj.balance


@admin.register(ReportAttachment)
class ReportAttachmentAdmin(admin.ModelAdmin):
    form = ReportAttachmentForm
    list_display = ["original_name", "report", "content_type", "size", "uploaded_at"]
    list_select_related = ["report__project"]
    search_fields = ["original_name", "report__project__name", "report__organisation__name"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["report"]
    fields = ["report", "file", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


# A report's history, written by the report services with the figures as they stood.
@admin.register(ReportEvent)
class ReportEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "kind", "revision", "by", "at"]
    list_filter = ["kind"]
    list_select_related = ["report__project", "by"]
    search_fields = ["report__project__name", "report__organisation__name", "comment"]
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False


# --- Residents' tasks, claims and check-ins --------------------------------------------------


class ClaimInline(ViewOnlyMixin, admin.TabularInline):
    model = Claim
    fields = ["resident", "status", "claimed_at", "ended_at", "last_checkin_on"]
    can_delete = False
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resident")


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = "__all__"

    def clean_capacity(self):
        # active_claims is not on the form, so the database's capacity check would not show here.
        capacity = self.cleaned_data["capacity"]
        if capacity < self.instance.active_claims:
            raise ValidationError(
                _("%(claims)d places are claimed; the task needs at least that many."),
                params={"claims": self.instance.active_claims},
            )
        return capacity


@admin.register(Task)
class TaskAdmin(FixedProjectMixin, admin.ModelAdmin):
    form = TaskForm
    list_display = [
        "code", "title", "project", "kind", "status", "capacity", "active_claims", "period_start", "period_end",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["project"]
    search_fields = ["code", "title", "location", "project__name"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["project"]
    readonly_fields = ["active_claims"]
    fieldsets = [
        (None, {"fields": ["project", "code", "title", "kind", "status", "description", "care_standard"]}),
        (_("Place"), {"fields": ["area_m2", "location", "grid_row", "grid_column"]}),
        (_("Claims"), {"fields": ["capacity", "active_claims", "period_start", "period_end"]}),
        (_("Check-ins"), {"fields": ["checkin_interval_days", "missed_checkins_allowed", "hours_per_checkin"]}),
    ]
    inlines = [ClaimInline]


class ClaimAddForm(forms.ModelForm):
    """A claim is only ever made by claim_create(), which checks community, status and capacity."""

    class Meta:
        model = Claim
        fields = ["task", "resident"]

    def clean(self):
        cleaned_data = super().clean()
        task, resident = cleaned_data.get("task"), cleaned_data.get("resident")
        if task and resident and not self.errors:
            self.instance = run_service(claim_create, task=task, resident=resident, user=self.acting_user)
        return cleaned_data


class CheckInInline(ViewOnlyMixin, admin.TabularInline):
    model = CheckIn
    fields = ["on", "hours", "note", "photo", "created_at"]
    can_delete = False
    extra = 0


# Claims are added through claim_create() and ended through claim_release() (the action) or by
# the jobs that lapse them; editing or deleting one would put the task's place count out of step.
@admin.register(Claim)
class ClaimAdmin(ServiceFormMixin, admin.ModelAdmin):
    list_display = ["resident", "task", "project", "status", "claimed_at", "ended_at", "last_checkin_on"]
    list_filter = ["status", "task__kind"]
    list_select_related = ["resident", "task__project"]
    search_fields = ["resident__name", "task__code", "task__title", "task__project__name"]
    date_hierarchy = "claimed_at"
    autocomplete_fields = ["task", "resident"]
    readonly_fields = ["status", "claimed_at", "ended_at", "last_checkin_on"]
    actions = ["release"]
    inlines = [CheckInInline]

    @admin.display(description=_("project"), ordering="task__project__name")
    def project(self, obj):
        return obj.task.project

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["task", "resident"]
        return ["task", "resident", "status", "claimed_at", "ended_at", "last_checkin_on"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ClaimAddForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        pass  # claim_create() saved it while the form was validated.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Release selected claims"))
    def release(self, request, queryset):
        released = 0
        inactive = queryset.exclude(status=ClaimStatus.ACTIVE).count()
        if inactive:
            self.message_user(request, ngettext(
                "%(count)d claim was not active and was left as it was.",
                "%(count)d claims were not active and were left as they were.", inactive,
            ) % {"count": inactive}, messages.WARNING)
        for claim in queryset.filter(status=ClaimStatus.ACTIVE).select_related("resident", "task"):
            try:
                claim_release(claim=claim, user=request.user)
                released += 1
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(request, f"{claim}: {' '.join(getattr(refusal, 'messages', [str(refusal)]))}",
                                  messages.WARNING)
        self.message_user(
            request,
            ngettext("Released %(count)d claim.", "Released %(count)d claims.", released) % {"count": released},
            messages.SUCCESS,
        )


# Check-ins are recorded by residents through checkin_record(), which keeps the claim's last
# check-in date; the admin shows them.
@admin.register(CheckIn)
class CheckInAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["claim", "on", "hours", "created_at"]
    list_select_related = ["claim__resident", "claim__task"]
    search_fields = ["claim__resident__name", "claim__task__code", "claim__task__title"]
    date_hierarchy = "on"

    def has_delete_permission(self, request, obj=None):
        return False


# --- Periodic jobs ---------------------------------------------------------------------------


@admin.register(JobRun)
class JobRunAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["job", "community", "started_at", "finished_at", "outcome", "counts_display"]
    list_filter = ["outcome", "job"]
    list_select_related = ["community"]
    search_fields = ["job", "community__name", "error"]
    date_hierarchy = "started_at"
    ordering = ["-started_at"]

    @admin.display(description=_("counts"))
    def counts_display(self, obj):
        if not isinstance(obj.counts, dict):
            return obj.counts
        return ", ".join(f"{name}: {count}" for name, count in obj.counts.items())
