"""Build the district in one transaction: the ordinary demo first, then the bulk rows on top of it."""

import time
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from demo.district import duties, people, projects, supervision
from demo.district.context import District
from demo.district.plan import DistrictPlan
from demo.district.sql import timed
from demo.seed import seed_demo
from partners.models import Community

# In dependency order; each step derives its rows from those of the steps before it.
STEPS = (
    ("territory", people.seed_territory),
    ("organisations and service areas", people.seed_organisations),
    ("users, posts and memberships", people.seed_users),
    ("residents (COPY)", people.seed_residents),
    ("projects, partners, contributions", projects.seed_projects),
    ("tasks", projects.seed_tasks),
    ("claims", projects.seed_claims),
    ("check-ins", projects.seed_checkins),
    ("duties", duties.seed_duties),
    ("duty completions", duties.seed_completions),
    ("duty assignments", duties.seed_assignments),
    ("service reports and their history", supervision.seed_reports),
    ("complaints", supervision.seed_complaints),
    ("inspections", supervision.seed_inspections),
    ("ratings", supervision.seed_ratings),
    ("evaluations", supervision.seed_evaluations),
)


class DistrictError(Exception):
    """The district cannot be built here, or came out smaller than its plan promises."""


def district_exists() -> bool:
    return Community.objects.filter(code__startswith=District.CODE_PREFIX).exists()


def build_district(plan: DistrictPlan, *, log: Callable[[str], None] = print) -> dict[str, int]:
    """Write the district's rows; return the row counts the issue names. Nothing is kept on failure."""
    if connection.vendor != "postgresql":
        raise DistrictError("The district is built with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
    if district_exists():
        raise DistrictError("This database already holds a district; build it into an empty database.")
    started = time.monotonic()
    with transaction.atomic():
        seed_demo(scale=1, log=lambda line: None)
        d = District(plan=plan, today=timezone.localdate())
        for label, step in STEPS:
            timed(log, label, step, d)
        counts = _check_counts(plan)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"District of {plan.communities} communities built in {time.monotonic() - started:.0f}s.")
    return counts


def _check_counts(plan: DistrictPlan) -> dict[str, int]:
    counts = {label: apps.get_model(label).objects.count() for label in plan.minimum_counts}
    short = {label: (counts[label], least) for label, least in plan.minimum_counts.items() if counts[label] < least}
    if short:
        raise DistrictError(
            "The district came out too small: "
            + ", ".join(f"{label} {count} < {least}" for label, (count, least) in short.items())
        )
    return counts
