"""Admin for who takes part: users, the territory, organisations and residents, and sign-in lockouts."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin_workflows import Workflow, WorkflowAdminMixin, WorkflowForm
from partners.models import (
    Community,
    District,
    Membership,
    OfficialPost,
    Organisation,
    OrganisationStatus,
    Qualification,
    Resident,
    Street,
    User,
)
from partners.personal_data import contact_viewer_for, mask_address_part
from partners.services.organisations import organisation_set_status
from partners.services.resident_removal import resident_remove

# --- Users -----------------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["since"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "user")


class OfficialPostInline(admin.TabularInline):
    model = OfficialPost
    extra = 0
    autocomplete_fields = ["community", "street", "district"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community", "street", "district")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["display_name", "first_name", "last_name", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    list_display = ["username", "display_name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    date_hierarchy = "date_joined"
    inlines = [MembershipInline, OfficialPostInline]

    def get_inlines(self, request, obj):
        # The add page stays Django's two-step one: username and password first.
        return self.inlines if obj else []


# --- Territory -------------------------------------------------------------------------------


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "is_town"]
    list_filter = ["is_town", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "district__name"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "street", "district", "population"]
    list_filter = ["street__district"]
    list_select_related = ["street__district"]
    search_fields = ["name", "code", "street__name"]
    autocomplete_fields = ["street"]

    @admin.display(description=_("district"), ordering="street__district__name")
    def district(self, obj):
        return obj.street.district


# --- Organisations ---------------------------------------------------------------------------


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


class OrganisationStatusForm(WorkflowForm):
    status = forms.ChoiceField(label=_("new status"), choices=OrganisationStatus.choices)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


def set_status(*, obj, user, data):
    return organisation_set_status(organisation=obj, status=data["status"], user=user, reason=data["reason"])


# The status decides who may apply to calls: it changes only through organisation_set_status().
@admin.register(Organisation)
class OrganisationAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "status", "credit_code", "home_community", "registered_on"]
    list_filter = ["kind", "status", "home_community__street__district"]
    list_select_related = ["home_community"]
    search_fields = ["name", "=credit_code"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["home_community", "service_area"]
    readonly_fields = ["status", "created_at"]
    show_full_result_count = False
    workflows = (Workflow("status", _("Change status"), OrganisationStatusForm, set_status),)
    fieldsets = [
        (None, {"fields": ["name", "kind", "status", "credit_code", "description"]}),
        (_("Where"), {"fields": ["home_community", "service_area", "address"]}),
        (
            _("Registration and contact"),
            {
                "fields": ["legal_representative", "contact_phone", "registered_on", "created_at"],
            },
        ),
    ]
    inlines = [QualificationInline, MembershipInline]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "issuer", "number", "valid_from", "valid_until"]
    list_select_related = ["organisation"]
    search_fields = ["name", "number", "organisation__name"]
    date_hierarchy = "valid_until"
    autocomplete_fields = ["organisation"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "since"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__display_name", "organisation__name"]
    date_hierarchy = "since"
    autocomplete_fields = ["user", "organisation"]


@admin.register(OfficialPost)
class OfficialPostAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "community", "street", "district"]
    list_select_related = ["user", "community", "street", "district"]
    search_fields = [
        "user__username",
        "user__display_name",
        "title",
        "community__name",
        "street__name",
        "district__name",
    ]
    autocomplete_fields = ["user", "community", "street", "district"]


# --- Residents -------------------------------------------------------------------------------


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    # The changelist shows phones and addresses masked; they are in full only on the resident's
    # own page, where the audit log records who opened it (partners.personal_data).
    list_display = [
        "name",
        "community",
        "phone_masked",
        "building_masked",
        "unit_masked",
        "is_volunteer",
        "joined_on",
        "removed_at",
    ]
    list_filter = ["is_volunteer", "community__street__district"]
    list_select_related = ["community"]
    search_fields = ["name", "=phone", "community__name"]
    date_hierarchy = "joined_on"
    autocomplete_fields = ["user", "community"]
    readonly_fields = ["joined_on", "removed_at"]
    show_full_result_count = False
    actions = ["remove_accounts"]

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return obj.masked_phone

    @admin.display(description=_("building"))
    def building_masked(self, obj):
        return mask_address_part(obj.building)

    @admin.display(description=_("unit"))
    def unit_masked(self, obj):
        return mask_address_part(obj.unit)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            # The full contact details are on this page: the request's audit entry says who looked.
            contact_viewer_for(request).shows_resident_contact(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Remove the selected residents' accounts, at their request"), permissions=["change"])
    def remove_accounts(self, request, queryset):
        """resident_remove() for each, after a confirmation page: the removal cannot be undone."""
        residents = list(queryset.select_related("community").order_by("name", "pk"))
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/partners/resident/remove_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "residents": residents,
                    "title": _("Remove residents' accounts"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        removed = 0
        for resident in residents:
            if resident.removed_at is not None:
                continue
            try:
                resident_remove(resident=resident, user=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(
                    request,
                    f"{resident.name}: {' '.join(getattr(refusal, 'messages', [str(refusal)]))}",
                    messages.WARNING,
                )
            else:
                removed += 1
        self.message_user(
            request,
            ngettext(
                "Removed %(count)d resident's account.",
                "Removed %(count)d residents' accounts.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )


# --- Sign-in lockouts ------------------------------------------------------------------------

# django-axes names the status column by its method's name, which no catalogue translates.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}
        return _("Locked out")
