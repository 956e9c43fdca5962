"""Public pages under /public/, no login: the communities, each one's service list, calls, awards
and grades, each project's evaluations over time, and the same data as CSV and JSON."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coproduction.models import CallStatus, ContributionKind
from partners.models import Community, OrganisationKind
from transparency import downloads, records
from transparency.datasets import DATASETS

_FORMATS = {"csv": downloads.as_csv, "json": downloads.as_json}


@require_safe
def home(request):
    """Every community, by district and street, with how much of it is on public record."""
    return render(request, "transparency/home.html", {"communities": records.communities()})


@require_safe
def community(request, code):
    """One community's public record: service list, calls, awarded projects and their grades."""
    community = get_object_or_404(Community.objects.select_related("street__district"), code=code)
    calls = list(records.calls_of(community))
    projects = records.projects_of(community)
    for project in projects:
        project.contribution_lines = _contribution_lines(project)
    return render(
        request,
        "transparency/community.html",
        {
            "community": community,
            "service_items": _with_kind_labels(records.service_list()),
            "open_calls": [call for call in calls if call.status == CallStatus.OPEN],
            "awarded_calls": [call for call in calls if call.status == CallStatus.AWARDED],
            "projects": projects,
            "datasets": DATASETS.values(),
            "min_ratings_shown": records.MIN_RATINGS_SHOWN,
        },
    )


@require_safe
def project(request, code, pk):
    """One public project: partners, contributions, awards and its evaluations over time."""
    community = get_object_or_404(Community.objects.select_related("street__district"), code=code)
    project = records.project_of(community, pk)
    if project is None:
        raise Http404(_("No public project of this community has this number."))
    return render(
        request,
        "transparency/project.html",
        {
            "community": community,
            "project": project,
            "contribution_lines": _contribution_lines(project),
            "evaluation_chart": _evaluation_chart(project),
            "min_ratings_shown": records.MIN_RATINGS_SHOWN,
        },
    )


@require_safe
def download(request, code, dataset, extension):
    """A dataset of the community as a file: service-list, calls or awards, as csv or json."""
    if dataset not in DATASETS or extension not in _FORMATS:
        raise Http404(_("There is no such download."))
    community = get_object_or_404(Community, code=code)
    return _FORMATS[extension](community, DATASETS[dataset])


def _with_kind_labels(items) -> list:
    """Each item given `eligible_kind_labels`: who may deliver it, in the reader's language."""
    items = list(items)
    for item in items:
        item.eligible_kind_labels = [OrganisationKind(kind).label for kind in item.eligible_kinds]
    return items


def _contribution_lines(project: records.PublicProject) -> list[tuple[str | Promise, Decimal]]:
    """The kinds of contribution the project received, with their value, in the reader's language."""
    return [
        (label, project.contributions_by_kind[kind])
        for kind, label in ContributionKind.choices
        if project.contributions_by_kind[kind]
    ]


def _evaluation_chart(project) -> dict:
    """A Chart.js line of the evaluations' total scores, oldest first (web/static/web/charts.js draws it)."""
    return {
        "type": "line",
        "data": {
            "labels": [evaluation.period_end.isoformat() for evaluation in project.evaluations_in_order],
            "datasets": [
                {
                    "label": _("Total score"),
                    "data": [float(evaluation.total) for evaluation in project.evaluations_in_order],
                    "borderColor": "#0b4f6c",
                    "backgroundColor": "#0b4f6c",
                }
            ],
        },
        "options": {"scales": {"y": {"min": 0, "max": 100}}, "animation": False},
    }
