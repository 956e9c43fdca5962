"""Tasks of the resident's community: the plots as tiles, a task's rules, claiming and releasing.

Claim and release answer an htmx request with the task's tile alone (swapped in place) and a
plain form post with a redirect back and a message, so the pages work without JavaScript.
Releasing goes through a confirmation page first: a place given up may be taken by a neighbour.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.admin_workflows import refusal_text
from coproduction.models import Claim, ClaimStatus
from coproduction.services.claims import claim_create, claim_release
from resident_portal.forms import ProjectFilterForm
from resident_portal.selectors import claimable_tasks, projects_with_claimable_tasks, tasks_i_hold, tasks_to_find
from resident_portal.views.common import current_resident, redirect_back, same_site
from web.access import resident_required
from web.htmx import is_htmx


@resident_required
def task_list(request):
    """The resident's own tasks first, then the others grouped by project, filterable by project
    and to the places still free; plots are tiles in map order."""
    resident = current_resident(request)
    projects = projects_with_claimable_tasks(user=request.user, resident=resident)
    form = ProjectFilterForm(request.GET or None, projects=projects)
    filters = form.cleaned_data if form.is_valid() else {}
    tasks = claimable_tasks(user=request.user, resident=resident)
    context = {
        "resident": resident,
        "form": form,
        "filtered": bool(filters.get("project") or filters.get("free")),
        "mine": tasks_i_hold(tasks),
        "tasks": tasks_to_find(tasks, project=filters.get("project"), free_only=filters.get("free", False)),
    }
    return render(request, "resident_portal/tasks.html", context)


def _task_or_404(request, pk: int):
    """A claimable task of the resident's own community; anything else looks like no task at all."""
    return get_object_or_404(claimable_tasks(user=request.user, resident=current_resident(request)), pk=pk)


@resident_required
def task_detail(request, pk: int):
    """A task's description, care standard and check-in rule, with the claim or release button."""
    return render(request, "resident_portal/task_detail.html", {"task": _task_or_404(request, pk)})


def _answer(request, pk: int, done: str, refusal: ValidationError | None):
    """The refreshed tile for htmx, else back to the page the button was on with a message."""
    if is_htmx(request):
        # The tile keeps the page it sits on as its fallback target, not this POST-only URL.
        context = {
            "task": _task_or_404(request, pk),
            "done": "" if refusal else done,
            "refusal": refusal_text(refusal) if refusal else "",
            "next_url": request.POST.get("next", ""),
        }
        return render(request, "resident_portal/_task_tile.html", context)
    if refusal:
        messages.error(request, refusal_text(refusal))
    else:
        messages.success(request, done)
    return redirect_back(request, reverse("resident_portal:tasks"))


@resident_required
@require_POST
def task_claim(request, pk: int):
    task = _task_or_404(request, pk)
    try:
        claim_create(task=task, resident=current_resident(request), user=request.user)
    except ValidationError as refusal:
        return _answer(request, pk, "", refusal)
    done = _("Claimed %(task)s. Check in when you have looked after it.") % {"task": task.title}
    return _answer(request, pk, done, None)


@resident_required
def task_release(request, pk: int):
    """The confirmation page (GET), then the release of the resident's active claim on the task
    (POST), even once the task is no longer open to claims."""
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user).select_related("task__project"),
        task_id=pk,
        resident=current_resident(request),
        status=ClaimStatus.ACTIVE,
    )
    if request.method != "POST":
        back = same_site(request, request.GET.get("next", "")) or reverse("resident_portal:tasks")
        return render(request, "resident_portal/release_confirm.html", {"claim": claim, "back": back})
    try:
        claim_release(claim=claim, user=request.user)
    except ValidationError as refusal:
        return _answer(request, pk, "", refusal)
    done = _("Released %(task)s: the place is free for a neighbour.") % {"task": claim.task.title}
    return _answer(request, pk, done, None)
