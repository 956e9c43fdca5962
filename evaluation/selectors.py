"""Reads of the evaluation app's records for the apps below it, which may not import its models."""

from datetime import date
from typing import Any

from django.db.models import Avg, Count, QuerySet

from coproduction.models import Project
from evaluation.models import Rating


def satisfaction_by_community(*, projects: QuerySet[Project], start: date, end: date) -> dict[int, dict[str, Any]]:
    """The number and mean of the ratings of `projects` for the months [start, end] touches, per community.

    One GROUP BY community query, whatever the number of communities; a community without
    ratings in the period is left out.
    """
    rows = (
        Rating.objects.filter(project__in=projects, period__range=(start.replace(day=1), end))
        .values("project__community")
        .annotate(rated=Count("pk"), mean=Avg("score"))
        .order_by()
    )
    return {
        row["project__community"]: {
            "ratings": row["rated"],
            "mean": None if row["mean"] is None else round(row["mean"], 2),
        }
        for row in rows
    }
