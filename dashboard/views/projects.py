"""Officials' project pages: the list with filters, a project's detail with its lifecycle and
governance authority, and its responsibility matrix (participants x duties, R/A/C/I).

Reads go through `visible_to` narrowed to the communities the official oversees, so another
community's project answers 404; writes call the domain services only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.models import Duty, DutyAssignment, RaciRole
from accountability.services.duties import duty_assign, duty_create, duty_set_accountable, duty_unassign
from coproduction.models import Call, Contribution, Participation, Project, ProjectTransition
from coproduction.services.lifecycle import project_transition
from coproduction.services.projects import project_set_authority
from dashboard.forms.projects import AccountableForm, AuthorityForm, DutyCreateForm, ProjectFilterForm, TransitionForm
from partners.models import Community
from web.access import official_required
from web.htmx import is_htmx
from web.workflows import call_service

PROJECTS_PER_PAGE = 50
# The roles a cell of the matrix toggles; the Accountable party is set per duty, with a reason.
TOGGLED_ROLES = (RaciRole.RESPONSIBLE, RaciRole.CONSULTED, RaciRole.INFORMED)


def overseen_projects(user) -> QuerySet[Project]:
    """The projects an official works on: visible to them and in a community they oversee (an
    official who also works for a partner organisation does not run other communities' projects)."""
    return Project.objects.visible_to(user).filter(community__in=Community.objects.overseen_by(user).values("pk"))


def overseen_project_or_404(user, pk: int) -> Project:
    return get_object_or_404(
        overseen_projects(user).select_related("community__street__district", "service_item"), pk=pk
    )


# --- The list ------------------------------------------------------------------------------


@official_required
def project_list(request):
    """Projects of the overseen communities, filtered by stage, mode and community, one page at a time."""
    form = ProjectFilterForm(
        request.GET or None, communities=Community.objects.overseen_by(request.user).order_by("name")
    )
    projects = (
        overseen_projects(request.user).select_related("community", "service_item").order_by("community__name", "name")
    )
    if form.is_valid():
        filters = {name: value for name, value in form.cleaned_data.items() if value}
        projects = projects.filter(**filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/projects/list.html", {"form": form, "page_obj": page})


# --- A project -------------------------------------------------------------------------------


def _render_detail(request, project: Project, *, transition_form=None, authority_form=None):
    context = {
        "project": project,
        "participations": project.participations.select_related("organisation").order_by("left_on", "role"),
        "contributions": Contribution.objects.filter(project=project)
        .select_related("participation__organisation")
        .order_by("contributed_on"),
        "duties": Duty.objects.filter(project=project).select_related("accountable__organisation"),
        "transitions": ProjectTransition.objects.filter(project=project).select_related("by").order_by("at"),
        "calls": Call.objects.filter(project=project).order_by("-opened_at"),
        "transition_form": transition_form or TransitionForm(project=project),
        "authority_form": authority_form
        or AuthorityForm(
            initial={
                "governance_authority": project.governance_authority,
                "authority_reason": project.authority_reason,
            }
        ),
    }
    return render(request, "dashboard/projects/detail.html", context)


@official_required
def project_detail(request, pk):
    """Participants, contributions, duties, stage history and calls, with the lifecycle and
    governance-authority forms."""
    return _render_detail(request, overseen_project_or_404(request.user, pk))


@official_required
@require_POST
def project_move(request, pk):
    """Move the project through the lifecycle; the refusal lists everything still missing."""
    project = overseen_project_or_404(request.user, pk)
    form = TransitionForm(request.POST, project=project)
    if form.is_valid():
        transition = call_service(
            form,
            project_transition,
            project=project,
            user=request.user,
            to_stage=form.cleaned_data["to_stage"],
            reason=form.cleaned_data["reason"],
        )
        if transition is not None:
            stage = transition.get_to_stage_display()
            messages.success(request, _("The project moved to %(stage)s.") % {"stage": stage})
            return redirect("dashboard:project_detail", pk=project.pk)
    return _render_detail(request, project, transition_form=form)


@official_required
@require_POST
def project_authority(request, pk):
    """Record the official's judgement of governance authority; the mode follows from it."""
    project = overseen_project_or_404(request.user, pk)
    form = AuthorityForm(request.POST)
    if form.is_valid():
        updated = call_service(
            form,
            project_set_authority,
            project=project,
            user=request.user,
            level=form.cleaned_data["governance_authority"],
            reason=form.cleaned_data["authority_reason"],
        )
        if updated is not None:
            messages.success(request, _("Governance authority recorded."))
            return redirect("dashboard:project_detail", pk=project.pk)
    return _render_detail(request, project, authority_form=form)


# --- The responsibility matrix ---------------------------------------------------------------


def _current_participations(project: Project) -> QuerySet[Participation]:
    return (
        project.participations.filter(left_on__isnull=True)
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )


def _cell(duty: Duty, participation: Participation, held: set[str]) -> dict:
    """One cell: the letters the participant holds on the duty (A first) and its R/C/I toggles."""
    accountable = duty.accountable_id == participation.pk
    return {
        "duty": duty,
        "participation": participation,
        "letters": (["A"] if accountable else []) + [role for role in TOGGLED_ROLES if role in held],
        "toggles": [
            {"role": role, "label": role.label, "held": role in held, "value": f"{duty.pk}:{participation.pk}:{role}"}
            for role in TOGGLED_ROLES
        ],
    }


def matrix_rows(project: Project, participations: list[Participation]) -> list[dict]:
    """Each duty with one cell per participant, from three queries whatever the grid size."""
    duties = list(
        Duty.objects.filter(project=project)
        .select_related("accountable__organisation")
        .order_by("next_due_on", "title")
    )
    held: dict[tuple[int, int], set[str]] = {}
    for duty_id, participation_id, role in DutyAssignment.objects.filter(duty__project=project).values_list(
        "duty_id", "participation_id", "role"
    ):
        held.setdefault((duty_id, participation_id), set()).add(role)
    return [
        {"duty": duty, "cells": [_cell(duty, p, held.get((duty.pk, p.pk), set())) for p in participations]}
        for duty in duties
    ]


def _render_matrix(request, project: Project, *, duty_form=None, accountable_form=None):
    participations = list(_current_participations(project))
    context = {
        "project": project,
        "participations": participations,
        "rows": matrix_rows(project, participations),
        "roles": RaciRole.choices,
        "toggle_url": reverse("dashboard:matrix_toggle", kwargs={"pk": project.pk}),
        "duty_form": duty_form or DutyCreateForm(participations=_current_participations(project)),
        "accountable_form": accountable_form
        or AccountableForm(
            duties=Duty.objects.filter(project=project), participations=_current_participations(project)
        ),
    }
    return render(request, "dashboard/projects/matrix.html", context)


@official_required
def project_matrix(request, pk):
    """Participants x duties with R/A/C/I in each cell."""
    return _render_matrix(request, overseen_project_or_404(request.user, pk))


def _parse_toggle(project: Project, value: str) -> tuple[Duty, Participation, str]:
    """`duty:participation:role` from a matrix button, each part checked against this project."""
    try:
        duty_text, participation_text, role = value.split(":")
        duty_id, participation_id = int(duty_text), int(participation_text)
    except ValueError:
        raise Http404 from None
    if role not in TOGGLED_ROLES:
        raise Http404
    duty = get_object_or_404(Duty.objects.select_related("accountable"), project=project, pk=duty_id)
    participation = get_object_or_404(
        Participation.objects.select_related("organisation"), project=project, pk=participation_id
    )
    return duty, participation, role


@official_required
@require_POST
def matrix_toggle(request, pk):
    """Give or take away one R, C or I role in a cell: in place with htmx, else redirect back."""
    project = overseen_project_or_404(request.user, pk)
    duty, participation, role = _parse_toggle(project, request.POST.get("toggle", ""))
    holds = DutyAssignment.objects.filter(duty=duty, participation=participation, role=role).exists()
    service = duty_unassign if holds else duty_assign
    refusal = None
    try:
        service(duty=duty, participation=participation, role=role, user=request.user)
    except ValidationError as error:
        refusal = " ".join(error.messages)
    if is_htmx(request):
        held = set(DutyAssignment.objects.filter(duty=duty, participation=participation).values_list("role", flat=True))
        cell = _cell(duty, participation, held)
        return render(
            request,
            "dashboard/projects/_matrix_cell.html",
            {
                "cell": cell,
                "refusal": refusal,
                "toggle_url": request.path,
            },
        )
    if refusal:
        messages.error(request, refusal)
    return redirect(f"{reverse('dashboard:project_matrix', kwargs={'pk': project.pk})}#duty-{duty.pk}")


@official_required
@require_POST
def matrix_duty_create(request, pk):
    """Add a duty with its Accountable party and the rest of its matrix."""
    project = overseen_project_or_404(request.user, pk)
    form = DutyCreateForm(request.POST, participations=_current_participations(project))
    if form.is_valid():
        duty = call_service(form, duty_create, project=project, user=request.user, **form.cleaned_data)
        if duty is not None:
            messages.success(request, _("Duty “%(duty)s” added.") % {"duty": duty.title})
            return redirect("dashboard:project_matrix", pk=project.pk)
    return _render_matrix(request, project, duty_form=form)


@official_required
@require_POST
def matrix_set_accountable(request, pk):
    """Hand a duty's accountability to another participant, with the reason."""
    project = overseen_project_or_404(request.user, pk)
    form = AccountableForm(
        request.POST, duties=Duty.objects.filter(project=project), participations=_current_participations(project)
    )
    if form.is_valid():
        duty = call_service(
            form,
            duty_set_accountable,
            duty=form.cleaned_data["duty"],
            participation=form.cleaned_data["accountable"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        if duty is not None:
            messages.success(request, _("The accountable party of “%(duty)s” changed.") % {"duty": duty.title})
            return redirect("dashboard:project_matrix", pk=project.pk)
    return _render_matrix(request, project, accountable_form=form)


urls = [
    path("projects/", project_list, name="project_list"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/move/", project_move, name="project_move"),
    path("projects/<int:pk>/authority/", project_authority, name="project_authority"),
    path("projects/<int:pk>/matrix/", project_matrix, name="project_matrix"),
    path("projects/<int:pk>/matrix/toggle/", matrix_toggle, name="matrix_toggle"),
    path("projects/<int:pk>/matrix/duties/", matrix_duty_create, name="matrix_duty_create"),
    path("projects/<int:pk>/matrix/accountable/", matrix_set_accountable, name="matrix_set_accountable"),
]
