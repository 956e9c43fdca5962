"""Admin for who takes part: users, the territory, organisations and residents.

It also holds the admin's workflow pages (WorkflowAdminMixin), shared by the higher apps'
admins: partners is the lowest app with a workflow, and a lower app never imports a higher one.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import record

from .models import (
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
from .services import organisation_set_status

# --- Workflow pages: a small form whose data goes to one domain service ----------------------


class WorkflowForm(forms.Form):
    """The form of one workflow step; it knows the record it acts on, to offer only fitting choices."""

    def __init__(self, *args, obj, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class Workflow:
    """One step offered on a record's admin page. `run(obj=, user=, data=)` calls the service."""

    slug: str
    label: str
    form: type[WorkflowForm]
    run: Callable
    available: Callable = lambda obj: True


def show_refusal(form: forms.Form, refusal: ValidationError | PermissionDenied) -> None:
    """A service's refusal as form errors: on the field it names when the form has it, else on top."""
    if isinstance(refusal, PermissionDenied):
        form.add_error(None, str(refusal) or _("You may not do this."))
    elif hasattr(refusal, "error_dict"):
        for field, errors in refusal.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal.messages)


def refusal_text(refusal: ValidationError | PermissionDenied) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal) or str(_("You may not do this."))


class WorkflowAdminMixin:
    """Offers each of `workflows` as a page under the record's change page, linked from its top.

    The service checks who may act and refuses bad input; its refusal comes back as form errors
    and, the service being atomic, leaves nothing written. Admin users need the model's change
    permission to reach the pages, whatever the admin allows editing directly.
    """

    workflows: tuple[Workflow, ...] = ()
    change_form_template = "admin/workflow_change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                f"<path:object_id>/{workflow.slug}/",
                self.admin_site.admin_view(self._workflow_view_for(workflow)),
                name="%s_%s_%s" % (*info, workflow.slug),
            )
            for workflow in self.workflows
        ]
        return own + super().get_urls()

    def _workflow_view_for(self, workflow: Workflow):
        def view(request, object_id):
            return self.workflow_view(request, object_id, workflow)
        return view

    def may_run_workflows(self, request) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.{get_permission_codename('change', self.opts)}")

    def workflow_url(self, obj, workflow: Workflow) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{workflow.slug}", args=[obj.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        links = []
        if obj is not None and self.may_run_workflows(request):
            links = [
                {"url": self.workflow_url(obj, workflow), "label": workflow.label}
                for workflow in self.workflows if workflow.available(obj)
            ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "workflow_links": links})

    def workflow_view(self, request, object_id, workflow: Workflow):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.may_run_workflows(request) or not workflow.available(obj):
            raise PermissionDenied
        form = workflow.form(request.POST or None, request.FILES or None, obj=obj)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.run(obj=obj, user=request.user, data=form.cleaned_data)
            except (ValidationError, PermissionDenied) as refusal:
                show_refusal(form, refusal)
            else:
                self.message_user(
                    request, _("%(step)s: done for “%(obj)s”.") % {"step": workflow.label, "obj": obj},
                    messages.SUCCESS,
                )
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{workflow.label}: {obj}",
            "opts": self.opts,
            "original": obj,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/workflow_form.html", context)

    def run_for_each(self, request, queryset, service: Callable, done: str) -> None:
        """An action without input: the service runs per selected record, each refusal a message."""
        succeeded = 0
        for obj in queryset:
            try:
                service(obj)
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(request, f"{obj}: {refusal_text(refusal)}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)


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
        (_("Registration and contact"), {
            "fields": ["legal_representative", "contact_phone", "registered_on", "created_at"],
        }),
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
    search_fields = ["user__username", "user__display_name", "title", "community__name", "street__name",
                     "district__name"]
    autocomplete_fields = ["user", "community", "street", "district"]


# --- Residents -------------------------------------------------------------------------------


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    # The changelist shows phones masked; the full number is only on the resident's own page.
    list_display = ["name", "community", "phone_masked", "building", "unit", "is_volunteer", "joined_on"]
    list_filter = ["is_volunteer", "community__street__district"]
    list_select_related = ["community"]
    search_fields = ["name", "=phone", "community__name"]
    date_hierarchy = "joined_on"
    autocomplete_fields = ["user", "community"]
    readonly_fields = ["joined_on"]
    show_full_result_count = False

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return obj.masked_phone

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.phone:
            # The full number is on this page: the audit log keeps who looked (not the number itself).
            record(actor=request.user, action=AuditAction.VIEW_PERSONAL_DATA, instance=obj, after={})
        return super().render_change_form(request, context, add, change, form_url, obj)
