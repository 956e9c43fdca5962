"""The demo data set, step by step, in one transaction: safe to run again, same result every time."""

import time
from collections.abc import Callable

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from coproduction.models import Mode, Project, Stage
from demo.catalogue import seed_catalogue
from demo.context import Seeding
from demo.duties import seed_duties
from demo.green_space import seed_green_space
from demo.lifecycle import seed_project_ends, seed_project_starts
from demo.organisations import seed_organisation_statuses, seed_organisations
from demo.people import record_logins, seed_residents, seed_users
from demo.performance import seed_evaluations, seed_ratings
from demo.projects import seed_needs, seed_projects
from demo.selection import seed_selection
from demo.supervision import seed_complaints, seed_inspections, seed_reports
from demo.territory import seed_territory

DOMAIN_APPS = ("audit", "partners", "services", "coproduction", "accountability", "evaluation")

# In the order things happen to a project: set up in design, partners selected and duties agreed,
# into operation, the service delivered and supervised, evaluated, and (for some) closed. Each
# domain write goes through the service that owns its rule, so a step can only run once the
# steps before it have given the service what it asks for.
STEPS = (
    ("territory", seed_territory),
    ("organisations", seed_organisations),
    ("users and roles", seed_users),
    ("organisation statuses", seed_organisation_statuses),
    ("residents", seed_residents),
    ("service list and indicators", seed_catalogue),
    ("projects in design, contributions", seed_projects),
    ("needs", seed_needs),
    ("calls, applications, reviews, award", seed_selection),
    ("duties and completions", seed_duties),
    ("projects into operation", seed_project_starts),
    ("green-space plots, claims, check-ins", seed_green_space),
    ("service reports", seed_reports),
    ("complaints", seed_complaints),
    ("inspections", seed_inspections),
    ("ratings", seed_ratings),
    ("evaluations", seed_evaluations),
    ("projects to evaluation and closed", seed_project_ends),
    ("logins", record_logins),
)


class DemoIncomplete(Exception):
    """The data came out without something the demo promises (a mode, a stage...)."""


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
    }


@transaction.atomic
def seed_demo(*, scale: int = 1, log: Callable[[str], None] = print) -> Seeding:
    """Create what is missing of the demo data set at this scale; rows already there are left alone."""
    s = Seeding(scale=scale, today=timezone.localdate(), log=log)
    started, before = time.monotonic(), row_counts()
    for label, step in STEPS:
        step_started, step_before = time.monotonic(), sum(row_counts().values())
        step(s)
        added = sum(row_counts().values()) - step_before
        log(f"  {label:<38} +{added:<6} rows  {time.monotonic() - step_started:5.2f}s")
    check_promises(s)
    added = sum(row_counts().values()) - sum(before.values())
    log(f"Done: {added} new rows at scale {scale} in {time.monotonic() - started:.1f}s.")
    return s


def check_promises(s: Seeding) -> None:
    """Fail the whole run (and roll it back) rather than leave a demo that misses a mode or a stage."""
    derived = dict(Project.objects.filter(pk__in=[p.pk for p in s.projects.values()]).values_list("pk", "mode"))
    mismatched = [
        f"{project.name}: {derived[project.pk] or 'no mode'} (planned {s.plans[key].mode})"
        for key, project in s.projects.items()
        if derived[project.pk] != s.plans[key].mode
    ]
    if mismatched:
        raise DemoIncomplete("Derived coproduction modes differ from the plan: " + "; ".join(mismatched))
    stages = set(Project.objects.filter(pk__in=[p.pk for p in s.projects.values()]).values_list("stage", flat=True))
    behind = [project.name for key, project in s.projects.items() if project.stage != s.plans[key].stage]
    if behind:
        raise DemoIncomplete("Projects did not reach their planned stage: " + "; ".join(behind))
    if set(derived.values()) != set(Mode.values) or stages != set(Stage.values):
        raise DemoIncomplete(f"Demo projects cover modes {sorted(set(derived.values()))} and stages {sorted(stages)}.")
