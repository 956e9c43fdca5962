"""Shared pieces of the admin, also used by the admins of the higher apps."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin_workflows import (
    ViewOnlyMixin,
    Workflow,
    WorkflowAdminMixin,
    WorkflowForm,
    refusal_text,
    show_refusal,
)
from coproduction.models import Participation, Project
from coproduction.services.projects import projects_recompute_concentration

__all__ = [
    "FixedProjectMixin",
    "ServiceFormMixin",
    "ViewOnlyMixin",
    "WeightsAddUpTo100FormSet",
    "Workflow",
    "WorkflowAdminMixin",
    "WorkflowForm",
    "limit_to_participants",
    "recompute_concentration",
    "refusal_text",
    "run_service",
    "show_refusal",
]


def download_link(url_name: str, **kwargs) -> str:
    """A link to a stored file through the permission-checked download view, never through MEDIA_URL."""
    return format_html('<a href="{}">{}</a>', reverse(url_name, kwargs=kwargs), _("Download"))


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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user  # A fresh class per request: modelform_factory builds one each time.
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.method == "POST" and getattr(response, "context_data", {}).get("errors"):
                transaction.set_rollback(True)
        return response


class ServiceAddForm(forms.ModelForm):
    """An add form whose clean() creates the record through the service its subclass calls in `create(cleaned_data)`."""

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors:
            try:
                self.instance = self.create(cleaned_data)
            except (ValidationError, PermissionDenied) as refusal:
                show_refusal(self, refusal)
        return cleaned_data


class ServiceAddMixin(ServiceFormMixin):
    """Records that are only ever created by a service (its `add_form`) and then shown, not edited."""

    add_form: type[ServiceAddForm]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = self.add_form._meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": list(self.add_form._meta.fields)})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [field.name for field in self.model._meta.fields if not field.auto_created]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        pass  # The service saved it while the form was validated.

    def save_related(self, request, form, formsets, change):
        pass  # The service wrote whatever belongs to the record.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class FixedProjectMixin:
    """The project a row belongs to is fixed once the row exists."""

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "project"]
        return self.readonly_fields
