"""Admin for residents' tasks, their claims and check-ins.

Claims are made by claim_create() and released by claim_release(); check-ins are recorded by
residents through checkin_record(): the admin shows them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_numbers import hours_column
from coproduction.admin.common import FixedProjectMixin, ServiceFormMixin, ViewOnlyMixin, download_link, run_service
from coproduction.models import CheckIn, Claim, ClaimStatus, Task
from coproduction.services.claims import claim_create, claim_release


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
        # What TaskAdmin's fieldsets edit (active_claims is read-only: claims move it).
        fields = [
            "project",
            "code",
            "title",
            "kind",
            "status",
            "description",
            "care_standard",
            "area_m2",
            "location",
            "grid_row",
            "grid_column",
            "capacity",
            "period_start",
            "period_end",
            "checkin_interval_days",
            "missed_checkins_allowed",
            "hours_per_checkin",
        ]

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
        "code",
        "title",
        "project",
        "kind",
        "status",
        "capacity",
        "active_claims",
        "period_start",
        "period_end",
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


@admin.display(description=_("photo"))
def photo_download(checkin: CheckIn) -> str:
    return download_link("checkin-photo", pk=checkin.pk) if checkin.photo else "-"


class CheckInInline(ViewOnlyMixin, admin.TabularInline):
    model = CheckIn
    # A read-only field may be a callable; the stubs allow names only.
    fields = ["on", "hours", "note", photo_download, "created_at"]  # type: ignore[list-item]
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
            self.message_user(
                request,
                ngettext(
                    "%(count)d claim was not active and was left as it was.",
                    "%(count)d claims were not active and were left as they were.",
                    inactive,
                )
                % {"count": inactive},
                messages.WARNING,
            )
        for claim in queryset.filter(status=ClaimStatus.ACTIVE).select_related("resident", "task"):
            try:
                claim_release(claim=claim, user=request.user)
                released += 1
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(
                    request, f"{claim}: {' '.join(getattr(refusal, 'messages', [str(refusal)]))}", messages.WARNING
                )
        self.message_user(
            request,
            ngettext("Released %(count)d claim.", "Released %(count)d claims.", released) % {"count": released},
            messages.SUCCESS,
        )


# Check-ins are recorded by residents through checkin_record(), which keeps the claim's last
# check-in date; the admin shows them.
@admin.register(CheckIn)
class CheckInAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["claim", "on", "hours_display", "created_at"]
    hours_display = hours_column(CheckIn, "hours")
    list_select_related = ["claim__resident", "claim__task"]
    search_fields = ["claim__resident__name", "claim__task__code", "claim__task__title"]
    date_hierarchy = "on"

    def has_delete_permission(self, request, obj=None):
        return False
