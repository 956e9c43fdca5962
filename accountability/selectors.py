"""Reads shared by the interfaces: figures grouped by community, and whose duty evidence a user may read."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from accountability.models import DutyCompletion, Risk, RiskStatus, Severity
from common.actors import Actor
from coproduction.models import Project
from coproduction.querysets import overseen_or_partner_project_ids
from partners.models import Community
from partners.roles import is_administrator

# How many risks a community's figures list, most severe first.
TOP_RISKS = 5

UNDETERMINED_MODE = "undetermined"


class ProjectCounts(TypedDict):
    total: int
    by_stage: dict[str, int]
    by_mode: dict[str, int]


def risk_gravity() -> Case:
    """A number that orders severities (high 3, medium 2, low 1), for ORDER BY and window functions."""
    return Case(
        When(severity=Severity.HIGH, then=Value(3)),
        When(severity=Severity.MEDIUM, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


def project_counts_by_community(projects: QuerySet[Project]) -> dict[int, ProjectCounts]:
    """{community id: {"total", "by_stage": {stage: n}, "by_mode": {mode: n}}} in one GROUP BY query;
    projects whose mode cannot be derived yet count under "undetermined"."""
    figures: defaultdict[int, ProjectCounts] = defaultdict(lambda: {"total": 0, "by_stage": {}, "by_mode": {}})
    for row in projects.values("community", "stage", "mode").annotate(n=Count("pk")).order_by():
        community = figures[row["community"]]
        community["total"] += row["n"]
        community["by_stage"][row["stage"]] = community["by_stage"].get(row["stage"], 0) + row["n"]
        mode = row["mode"] or UNDETERMINED_MODE
        community["by_mode"][mode] = community["by_mode"].get(mode, 0) + row["n"]
    return figures


def top_risks_by_community(
    communities: Iterable[Community | int], limit: int = TOP_RISKS
) -> dict[int, list[dict[str, Any]]]:
    """Each community's `limit` most severe risks not closed, newest first within a severity, in one query."""
    ranked = (
        Risk.objects.filter(community__in=communities)
        .exclude(status=RiskStatus.CLOSED)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("community"), order_by=[risk_gravity().desc(), F("raised_at").desc()]
            )
        )
        .filter(rank__lte=limit)
        .values("community", "rank", "kind", "severity", "status", "summary", "project", "organisation")
        .order_by("community", "rank")
    )
    figures: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in ranked:
        figures[row.pop("community")].append({key: value for key, value in row.items() if key != "rank"})
    return figures


def duty_evidence(user: Actor) -> QuerySet[DutyCompletion]:
    """Completions whose evidence files the user may read: business records, so officials and the
    project's organisations, not the residents who see the project (and its completions' words)."""
    completions: QuerySet[DutyCompletion] = DutyCompletion.objects.visible_to(user)
    if not is_administrator(user):
        completions = completions.filter(duty__project__in=overseen_or_partner_project_ids(user))
    return completions
