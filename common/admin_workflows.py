"""The admin's workflow pages: a small form on a record whose data goes to one domain service.

Shared by every app's admin, so that the admin changes records only through the services that
own their rules; refusals show as form errors or messages, never as a server error. Records only a
workflow or a job writes are shown read-only (ViewOnlyMixin).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django_stubs_ext import StrOrPromise

    # The mixin is only ever combined with a ModelAdmin, whose attributes it uses.
    _AdminBase = ModelAdmin[Any]
else:
    _AdminBase = object


class ViewOnlyMixin:
    """For records a workflow or job writes: the admin shows them but neither adds, changes nor deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Everything shown is displayed, the fields filled in automatically (created_at) included.
        return self.fields or [field.name for field in self.model._meta.fields if not field.auto_created]


class WorkflowForm(forms.Form):
    """The form of one workflow step; it knows the record it acts on, to offer only fitting choices."""

    def __init__(self, *args, obj, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class Workflow:
    """One step offered on a record's admin page. `run(obj=, user=, data=)` calls the service."""

    slug: str
    label: StrOrPromise
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


class WorkflowAdminMixin(_AdminBase):
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
                name="{}_{}_{}".format(*info, workflow.slug),
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
                for workflow in self.workflows
                if workflow.available(obj)
            ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "workflow_links": links})

    def workflow_view(self, request, object_id, workflow: Workflow):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # A private ModelAdmin helper the stubs leave out: the admin's own "does not exist" redirect.
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
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
                    request,
                    _("%(step)s: done for “%(obj)s”.") % {"step": workflow.label, "obj": obj},
                    messages.SUCCESS,
                )
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
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
