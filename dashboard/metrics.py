"""The officials' dashboard figures, over one community or many (a street or district rolled up).

Each function takes a queryset of communities and returns plain data (dicts, lists, numbers), so
the templates touch no model. Each makes a fixed number of aggregate or LIMITed queries whatever
the number of projects, duties, ratings or communities: the page stays quick on a district.
Callers pass only communities the user oversees (Community.objects.overseen_by); the figures are
then the user's by the same rule as `<Model>.objects.visible_to(user)` for officials.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from accountability.models import (
    Breach,
    BreachKind,
    BreachStatus,
    Complaint,
    ComplaintStatus,
    Duty,
    DutyStatus,
    Risk,
    RiskKind,
    RiskStatus,
    Severity,
)
from accountability.selectors import TOP_RISKS, UNDETERMINED_MODE, project_counts_by_community, risk_gravity
from accountability.services.duties import add_months
from coproduction.models import GovernanceLevel, Mode, Project, ReportStatus, ServiceReport, Stage, Task, TaskStatus
from coproduction.models.projects import HIGH_CONCENTRATION_SHARE
from evaluation.models import Evaluation, Grade, Rating
from jobs.models import JobOutcome, JobRun, job_label

# How many rows each "needs attention" list shows; the count above it is always the full one.
LIST_LIMIT = 10
TREND_MONTHS = 12
# Evaluations are periodic (quarters, half-years): the periods that started in the last two years.
GRADE_TREND_MONTHS = 24

# Where each mode sits on the quadrant: (governance authority, resource concentration).
QUADRANT = {
    Mode.ADMINISTRATIVE_ABSORPTION: (GovernanceLevel.HIGH, GovernanceLevel.HIGH),
    Mode.AUTHORITATIVE_CHARISMATIC: (GovernanceLevel.HIGH, GovernanceLevel.LOW),
    Mode.COMPLEMENTARY_ADVANTAGE: (GovernanceLevel.LOW, GovernanceLevel.LOW),
    Mode.SHARING_ASSISTED: (GovernanceLevel.LOW, GovernanceLevel.HIGH),
}


def _ids(communities):
    """The communities as a subquery of ids, whatever annotations or ordering the queryset carries."""
    return communities.order_by().values("pk")


def _rows_and_totals(queryset, *, order: tuple, fields: tuple, limit: int, **totals) -> tuple[list[dict], dict]:
    """The first `limit` rows and totals over every row (e.g. count=Count("pk")), in one query:
    the totals are window aggregates over the whole filtered set, carried by each row read.
    No row read means an empty set, whose totals are all zero."""
    windows = {f"_total_{name}": Window(aggregate) for name, aggregate in totals.items()}
    rows = list(queryset.annotate(**windows).order_by(*order).values(*fields, *windows)[:limit])
    first = rows[0] if rows else {}
    figures = {name: first.get(f"_total_{name}", 0) for name in totals}
    return [{field: row[field] for field in fields} for row in rows], figures


def _days_since(moment: datetime | date, today: date) -> int:
    """Whole local days from `moment` to `today`."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return (today - day).days


# --- Projects --------------------------------------------------------------------------------


def projects_by_stage(communities) -> list[dict]:
    """[{stage, label, count}] in lifecycle order, every stage present, over all the communities."""
    totals: defaultdict[str, int] = defaultdict(int)
    for figures in project_counts_by_community(Project.objects.filter(community__in=_ids(communities))).values():
        for stage, count in figures["by_stage"].items():
            totals[stage] += count
    return [{"stage": stage, "label": label, "count": totals[stage]} for stage, label in Stage.choices]


def _quadrant_point(project: dict, spread: int) -> tuple[float, float]:
    """x: the government's share of contributions (resource concentration, high from 0.5);
    y: governance authority, high above the middle line. Projects of one authority level are
    fanned out vertically so that equal shares do not hide each other."""
    base = 0.75 if project["governance_authority"] == GovernanceLevel.HIGH else 0.25
    offset = (0, 1, -1, 2, -2)[spread % 5] * 0.08
    return float(project["government_share"]), round(base + offset, 2)


def mode_quadrant(communities) -> dict:
    """Every project not closed, placed on the governance authority x resource concentration quadrant.

    {"placed": [{id, name, community, mode, mode_label, authority, share, x, y}],
     "unplaced": [{id, name, community, missing}], "counts": {mode: n}, "total", "threshold": 0.5}
    A project is unplaced while its authority or its contributions' shares are unknown.
    """
    projects = (
        Project.objects.filter(community__in=_ids(communities))
        .exclude(stage=Stage.CLOSED)
        .values("id", "name", "community__name", "governance_authority", "government_share", "mode")
        .order_by("community__name", "name")
    )
    placed, unplaced, counts = [], [], dict.fromkeys(Mode.values, 0)
    for project in projects:
        if not project["mode"]:
            missing = [] if project["governance_authority"] else ["authority"]
            missing += [] if project["government_share"] is not None else ["share"]
            unplaced.append(
                {
                    "id": project["id"],
                    "name": project["name"],
                    "community": project["community__name"],
                    "missing": missing,
                }
            )
            continue
        x, y = _quadrant_point(project, counts[project["mode"]])
        counts[project["mode"]] += 1
        placed.append(
            {
                "id": project["id"],
                "name": project["name"],
                "community": project["community__name"],
                "mode": project["mode"],
                "mode_label": Mode(project["mode"]).label,
                "authority": GovernanceLevel(project["governance_authority"]).label,
                "share": float(project["government_share"]),
                "x": x,
                "y": y,
            }
        )
    counts[UNDETERMINED_MODE] = len(unplaced)
    return {
        "placed": placed,
        "unplaced": unplaced,
        "counts": counts,
        "total": len(placed) + len(unplaced),
        "threshold": HIGH_CONCENTRATION_SHARE,
    }


# --- What needs attention --------------------------------------------------------------------


def overdue_duties(communities, *, today: date, limit: int = LIST_LIMIT) -> dict:
    """Active duties whose next occurrence is past: {"count", "rows": the longest overdue first}."""
    duties = Duty.objects.filter(
        project__community__in=_ids(communities), status=DutyStatus.ACTIVE, next_due_on__lt=today
    )
    rows, totals = _rows_and_totals(
        duties,
        order=("next_due_on", "pk"),
        limit=limit,
        count=Count("pk"),
        fields=(
            "id",
            "title",
            "next_due_on",
            "project_id",
            "project__name",
            "project__community__name",
            "accountable__organisation__name",
        ),
    )
    return {
        **totals,
        "rows": [{**row, "days_overdue": _days_since(row["next_due_on"], today)} for row in rows],
    }


def open_breaches(communities, *, today: date, limit: int = LIST_LIMIT) -> dict:
    """Open breaches: {"count", "high": how many are high severity, "rows": the oldest first, with their age}."""
    breaches = Breach.objects.filter(project__community__in=_ids(communities), status=BreachStatus.OPEN)
    rows, totals = _rows_and_totals(
        breaches,
        order=("detected_at", "pk"),
        limit=limit,
        fields=("id", "kind", "severity", "detected_at", "project_id", "project__name", "organisation__name"),
        count=Count("pk"),
        high=Count("pk", filter=Q(severity="high")),
    )
    return {
        **totals,
        "rows": [
            {
                **row,
                "kind_label": BreachKind(row["kind"]).label,
                "severity_label": Severity(row["severity"]).label,
                "age_days": _days_since(row["detected_at"], today),
            }
            for row in rows
        ],
    }


def open_complaints(communities, *, now: datetime, limit: int = LIST_LIMIT) -> dict:
    """Complaints awaiting an answer: {"count", "overdue": past their deadline, "rows": oldest first}."""
    complaints = Complaint.objects.filter(
        project__community__in=_ids(communities), status__in=[ComplaintStatus.OPEN, ComplaintStatus.REOPENED]
    )
    rows, totals = _rows_and_totals(
        complaints,
        order=("filed_at", "pk"),
        limit=limit,
        fields=(
            "id",
            "subject",
            "status",
            "filed_at",
            "response_due_at",
            "project_id",
            "project__name",
            "routed_to__name",
        ),
        count=Count("pk"),
        overdue=Count("pk", filter=Q(response_due_at__lt=now)),
    )
    today = timezone.localdate(now)
    return {
        **totals,
        "rows": [
            {
                **row,
                "age_days": _days_since(row["filed_at"], today),
                "overdue": row["response_due_at"] < now,
                "status_label": ComplaintStatus(row["status"]).label,
            }
            for row in rows
        ],
    }


def reports_awaiting_review(communities, *, today: date, limit: int = LIST_LIMIT) -> dict:
    """Submitted service reports not yet reviewed: {"count", "rows": the longest waiting first}."""
    reports = ServiceReport.objects.filter(project__community__in=_ids(communities), status=ReportStatus.SUBMITTED)
    rows, totals = _rows_and_totals(
        reports,
        order=("submitted_at", "pk"),
        limit=limit,
        count=Count("pk"),
        fields=(
            "id",
            "period_start",
            "period_end",
            "submitted_at",
            "revision",
            "project_id",
            "project__name",
            "organisation__name",
        ),
    )
    return {
        **totals,
        "rows": [{**row, "waiting_days": _days_since(row["submitted_at"], today)} for row in rows],
    }


def top_risks(communities, *, today: date, limit: int = TOP_RISKS) -> list[dict]:
    """The risks not closed, most severe first and, within a severity, the oldest first (the
    longest left alone), with their community and age."""
    rows = (
        Risk.objects.filter(community__in=_ids(communities))
        .exclude(status=RiskStatus.CLOSED)
        .annotate(gravity=risk_gravity())
        .order_by("-gravity", "raised_at", "pk")
        .values(
            "id", "kind", "severity", "status", "summary", "raised_at", "community__name", "project_id", "project__name"
        )[:limit]
    )
    return [
        {
            **row,
            "kind_label": RiskKind(row["kind"]).label,
            "severity_label": Severity(row["severity"]).label,
            "status_label": RiskStatus(row["status"]).label,
            "age_days": _days_since(row["raised_at"], today),
        }
        for row in rows
    ]


# --- Trends ----------------------------------------------------------------------------------


def _last_months(today: date, count: int) -> list[date]:
    first = add_months(today.replace(day=1), -(count - 1))
    return [add_months(first, offset) for offset in range(count)]


def satisfaction_trend(communities, *, today: date, months: int = TREND_MONTHS) -> list[dict]:
    """[{month, mean, ratings}] for each of the last `months` calendar months, oldest first;
    mean is None for a month nobody rated. Residents rate once per month, so a rating's period is its month."""
    calendar = _last_months(today, months)
    rows = (
        Rating.objects.filter(project__community__in=_ids(communities), period__gte=calendar[0])
        .values("period")
        .annotate(mean=Avg("score"), ratings=Count("pk"))
        .order_by()
    )
    by_month: defaultdict[date, dict[str, float]] = defaultdict(lambda: {"total": 0.0, "ratings": 0})
    for row in rows:  # periods are first days of months; grouping by month again is only a safeguard
        month = by_month[row["period"].replace(day=1)]
        month["total"] += row["mean"] * row["ratings"]
        month["ratings"] += row["ratings"]
    return [
        {
            "month": month,
            "ratings": by_month[month]["ratings"],
            "mean": (
                round(by_month[month]["total"] / by_month[month]["ratings"], 2) if by_month[month]["ratings"] else None
            ),
        }
        for month in calendar
    ]


def grade_trend(communities, *, today: date, months: int = GRADE_TREND_MONTHS) -> list[dict]:
    """[{period_start, mean_total, grades: {grade: n}}] per evaluation period started in the last
    `months` months, oldest first."""
    since = add_months(today.replace(day=1), -months)
    rows = (
        Evaluation.objects.filter(project__community__in=_ids(communities), period_start__gte=since)
        .values("period_start", "grade")
        .annotate(n=Count("pk"), total=Sum("total"))
        .order_by("period_start")
    )
    periods: dict[date, dict[str, Any]] = {}
    for row in rows:
        period = periods.setdefault(
            row["period_start"],
            {
                "period_start": row["period_start"],
                "grades": dict.fromkeys(Grade.values, 0),
                "evaluations": 0,
                "sum": 0.0,
            },
        )
        period["grades"][row["grade"]] += row["n"]
        period["evaluations"] += row["n"]
        period["sum"] += float(row["total"])
    return [
        {
            "period_start": period["period_start"],
            "grades": period["grades"],
            "evaluations": period["evaluations"],
            "mean_total": round(period["sum"] / period["evaluations"], 1),
        }
        for period in periods.values()
    ]


# --- Residents' share, and the periodic jobs ---------------------------------------------------


def task_claims(communities) -> dict:
    """Places claimed on open tasks against their capacity: {"claimed", "capacity", "share" (0..1 or
    None), "communities": [{name, claimed, capacity, share}]}, so free-riding shows as empty places."""
    rows = (
        Task.objects.filter(project__community__in=_ids(communities), status=TaskStatus.OPEN)
        .values("project__community__name")
        .annotate(claimed=Coalesce(Sum("active_claims"), 0), capacity=Coalesce(Sum("capacity"), 0))
        .order_by("project__community__name")
    )
    per_community = [
        {
            "name": row["project__community__name"],
            "claimed": row["claimed"],
            "capacity": row["capacity"],
            "share": _share(row["claimed"], row["capacity"]),
        }
        for row in rows
    ]
    claimed = sum(row["claimed"] for row in per_community)
    capacity = sum(row["capacity"] for row in per_community)
    return {"claimed": claimed, "capacity": capacity, "share": _share(claimed, capacity), "communities": per_community}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def latest_job_runs(communities) -> list[dict]:
    """Per periodic job, its latest run over these communities (or over all communities), and how
    many of its scopes ended their latest run in failure: [{job, label, started_at, finished_at, outcome,
    outcome_label, community, error, failed_scopes, failed}]."""
    runs = (
        JobRun.objects.filter(Q(community__in=_ids(communities)) | Q(community__isnull=True))
        .latest_per_job()
        .values("job", "started_at", "finished_at", "outcome", "error", "community__name")
        .order_by("job", F("started_at").desc())
    )
    jobs = {}
    for run in runs:  # newest first within a job: the first run seen is the job's latest
        if run["job"] not in jobs:
            jobs[run["job"]] = {
                "job": run["job"],
                "label": job_label(run["job"]),
                "started_at": run["started_at"],
                "finished_at": run["finished_at"],
                "outcome": run["outcome"],
                "outcome_label": JobOutcome(run["outcome"]).label,
                "community": run["community__name"],
                "error": run["error"],
                "failed_scopes": 0,
            }
        jobs[run["job"]]["failed_scopes"] += run["outcome"] == JobOutcome.FAILED
    for job in jobs.values():
        job["failed"] = bool(job["failed_scopes"])
    return list(jobs.values())


def overview(communities, *, now: datetime) -> dict:
    """Every figure of the dashboard, by name."""
    today = timezone.localdate(now)
    return {
        "stages": projects_by_stage(communities),
        "quadrant": mode_quadrant(communities),
        "overdue_duties": overdue_duties(communities, today=today),
        "breaches": open_breaches(communities, today=today),
        "complaints": open_complaints(communities, now=now),
        "reports": reports_awaiting_review(communities, today=today),
        "satisfaction": satisfaction_trend(communities, today=today),
        "grades": grade_trend(communities, today=today),
        "risks": top_risks(communities, today=today),
        "claims": task_claims(communities),
        "jobs": latest_job_runs(communities),
    }
