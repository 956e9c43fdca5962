"""Officials' service-list pages: every version of each item, editing a draft, comparing it with the
published version, publishing it, and moving a project in design to the version in force.

Reads go through `ServiceListItem.objects.visible_to` (drafts only for those who maintain the list);
writes call service_list.services and coproduction.services, whose refusals show inline.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coproduction.services.projects import project_adopt_current_service_version
from dashboard.forms.service_list import ServiceListItemForm
from dashboard.views.projects import overseen_project_or_404
from partners.roles import may_maintain_service_list
from service_list.models import ListItemStatus, ServiceListItem
from service_list.selectors import list_item_comparison, list_item_current_version
from service_list.services import (
    list_item_edit_refusal,
    list_item_new_version,
    list_item_publish,
    list_item_update,
)
from web.access import official_required
from web.workflows import call_service


@official_required
def service_list(request):
    """Every version of every item the official may see; maintainers also edit, compare, publish and revise."""
    items = (
        ServiceListItem.objects.visible_to(request.user)
        .select_related("category")
        .order_by("category__name", "code", "-version")
    )
    return render(
        request,
        "dashboard/service_list/list.html",
        {
            "items": items,
            "may_maintain": may_maintain_service_list(request.user),
        },
    )


def _maintained_item(request, pk: int) -> ServiceListItem:
    """The item, for a user who maintains the list; everyone else is refused before any lookup."""
    if not may_maintain_service_list(request.user):
        raise PermissionDenied(_("Only an administrator or a street or district official may change the service list."))
    return get_object_or_404(ServiceListItem.objects.visible_to(request.user).select_related("category"), pk=pk)


@official_required
def service_item_edit(request, pk):
    """Edit every field of a draft version; a published or retired version says how to change it instead."""
    item = _maintained_item(request, pk)
    refusal = list_item_edit_refusal(item)
    form = ServiceListItemForm(request.POST or None, item=item) if refusal is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        updated = call_service(form, list_item_update, item=item, user=request.user, **form.cleaned_data)
        if updated is not None:
            messages.success(
                request,
                _("%(item)s is saved. Check the changes, then publish it.")
                % {
                    "item": updated.version_label,
                },
            )
            return redirect("dashboard:service_item_compare", pk=item.pk)
    return render(
        request,
        "dashboard/service_list/edit.html",
        {
            "item": item,
            "label": item.version_label,
            "form": form,
            "refusal": " ".join(refusal.messages) if refusal is not None else "",
        },
    )


@official_required
def service_item_compare(request, pk):
    """The draft field by field beside the published version, with the changed fields marked."""
    item = _maintained_item(request, pk)
    current = list_item_current_version(code=item.code)
    if current is not None and current.pk == item.pk:
        current = None  # a published version is compared with nothing: it is the one in force
    rows = list_item_comparison(current=current, draft=item)
    changed = sum(row.changed for row in rows)
    return render(
        request,
        "dashboard/service_list/compare.html",
        {
            "item": item,
            "label": item.version_label,
            "current": current,
            "current_label": current.version_label if current is not None else "",
            "rows": rows,
            "changed_count": changed,
            "changed_summary": ngettext(
                "%(count)d field differs from the published version.",
                "%(count)d fields differ from the published version.",
                changed,
            )
            % {"count": changed},
        },
    )


@official_required
@require_POST
def service_item_publish(request, pk):
    item = _maintained_item(request, pk)
    if item.status != ListItemStatus.DRAFT:
        messages.error(
            request,
            _("Only a draft can be published; %(item)s is not a draft.")
            % {
                "item": item.version_label,
            },
        )
    else:
        list_item_publish(item=item, user=request.user)
        messages.success(
            request,
            _("%(item)s is published; the version it replaces is retired.")
            % {
                "item": item.version_label,
            },
        )
    return redirect("dashboard:service_list")


@official_required
@require_POST
def service_item_new_version(request, pk):
    draft = list_item_new_version(item=_maintained_item(request, pk), user=request.user)
    messages.success(
        request,
        _("%(item)s is created as a draft: edit it, compare it, then publish it.")
        % {
            "item": draft.version_label,
        },
    )
    return redirect("dashboard:service_item_edit", pk=draft.pk)


@official_required
@require_POST
def project_adopt_service_version(request, pk):
    """Move a project in design from a retired version of its service to the published one."""
    project = overseen_project_or_404(request.user, pk)
    try:
        project = project_adopt_current_service_version(project=project, user=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The project now uses %(item)s.") % {"item": project.service_item.version_label})
    return redirect("dashboard:project_detail", pk=project.pk)


urls = [
    path("service-list/", service_list, name="service_list"),
    path("service-list/<int:pk>/edit/", service_item_edit, name="service_item_edit"),
    path("service-list/<int:pk>/compare/", service_item_compare, name="service_item_compare"),
    path("service-list/<int:pk>/publish/", service_item_publish, name="service_item_publish"),
    path("service-list/<int:pk>/new-version/", service_item_new_version, name="service_item_new_version"),
    path(
        "projects/<int:pk>/service-version/",
        project_adopt_service_version,
        name="project_adopt_current_service_version",
    ),
]
