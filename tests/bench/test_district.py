"""The bulk district keeps the rules the domain services keep, and refuses to be built twice or off PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from demo.district.build import DistrictError, build_district
from demo.district.plan import SCALES, DistrictPlan, plan_for
from tests.needs import require_postgresql

# The marker makes pytest-django set up the test database even when this module runs alone.
pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]
ROOT = Path(__file__).resolve().parents[2]


def _require_postgresql() -> None:
    require_postgresql("the district is loaded with PostgreSQL's COPY")


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    """A tiny district, built once for the module in a transaction rolled back afterwards (as a TestCase's
    class-level data), so the test database is left as the other tests expect it."""
    _require_postgresql()
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_district(TINY, log=lambda line: None)
        transaction.set_rollback(True)


def _violations(sql: str) -> int:
    """Rows breaking the rule; dates are the platform's local ones, as the build and the jobs use."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS broken", {"today": timezone.localdate()})
        return cursor.fetchone()[0]


INVARIANTS = {
    "a task's active claims are its counter, within its places": """
        SELECT t.id FROM coproduction_task t LEFT JOIN coproduction_claim c ON c.task_id = t.id AND c.status = 'active'
        GROUP BY t.id HAVING count(c.id) <> max(t.active_claims) OR count(c.id) > max(t.capacity)""",
    "a claim's last check-in is its newest check-in, after the claim and within the task": """
        SELECT c.id FROM coproduction_claim c JOIN coproduction_task t ON t.id = c.task_id
        JOIN coproduction_checkin k ON k.claim_id = c.id
        GROUP BY c.id HAVING max(k.on) <> max(c.last_checkin_on) OR min(k.on) < min(c.claimed_at)::date
            OR min(k.on) < min(t.period_start) OR max(k.on) > least(min(t.period_end), %(today)s)""",
    "every project has exactly one lead": """
        SELECT p.id FROM coproduction_project p LEFT JOIN coproduction_participation l ON l.project_id = p.id
            AND l.role = 'lead' GROUP BY p.id HAVING count(l.id) <> 1""",
    "a duty's Accountable party takes part in the duty's project": """
        SELECT d.id FROM accountability_duty d JOIN coproduction_participation a ON a.id = d.accountable_id
        WHERE a.project_id <> d.project_id""",
    "an organisation's report periods never overlap": """
        SELECT a.id FROM coproduction_servicereport a JOIN coproduction_servicereport b ON a.project_id = b.project_id
            AND a.organisation_id = b.organisation_id AND a.id < b.id
            AND a.period_start <= b.period_end AND b.period_start <= a.period_end""",
    "reports come from the project's providers, within its dates": """
        SELECT r.id FROM coproduction_servicereport r JOIN coproduction_project p ON p.id = r.project_id
        WHERE r.period_start < p.start_date OR (p.end_date IS NOT NULL AND r.period_end > p.end_date)
            OR NOT EXISTS (SELECT 1 FROM coproduction_participation pa WHERE pa.project_id = r.project_id
                           AND pa.organisation_id = r.organisation_id AND pa.role IN ('provider', 'lead'))""",
    "complaints and inspections name an organisation of the project": """
        SELECT c.id FROM accountability_complaint c WHERE NOT EXISTS (SELECT 1 FROM coproduction_participation pa
            WHERE pa.project_id = c.project_id AND pa.organisation_id = c.routed_to_id)
        UNION ALL
        SELECT i.id FROM accountability_inspection i WHERE NOT EXISTS (SELECT 1 FROM coproduction_participation pa
            WHERE pa.project_id = i.project_id AND pa.organisation_id = i.organisation_id)""",
    "residents claim, rate and complain only in their own community": """
        SELECT c.id FROM coproduction_claim c JOIN coproduction_task t ON t.id = c.task_id
        JOIN coproduction_project p ON p.id = t.project_id JOIN partners_resident r ON r.id = c.resident_id
        WHERE r.community_id <> p.community_id
        UNION ALL
        SELECT g.id FROM evaluation_rating g JOIN coproduction_project p ON p.id = g.project_id
        JOIN partners_resident r ON r.id = g.resident_id WHERE r.community_id <> p.community_id""",
    "nothing is stamped in the future": """
        SELECT id FROM accountability_complaint WHERE filed_at > now() OR responded_at > now() OR closed_at > now()
        UNION ALL SELECT id FROM coproduction_servicereport WHERE submitted_at > now() OR reviewed_at > now()
        UNION ALL SELECT id FROM evaluation_rating WHERE created_at > now()""",
}


@pytest.mark.parametrize("rule", INVARIANTS)
def test_the_district_keeps_the_rule(district, rule):
    assert _violations(INVARIANTS[rule]) == 0


def test_the_district_has_what_its_plan_promises(district):
    for label, least in TINY.minimum_counts.items():
        assert district[label] >= least, label


def test_the_district_gives_the_accountability_job_every_kind_of_miss(district):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM accountability_duty WHERE status = 'active' AND next_due_on < %s",
            [timezone.localdate()],
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute(
            "SELECT count(*) FROM accountability_complaint WHERE status = 'open' AND response_due_at < now()"
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM accountability_inspection WHERE result = 'failed'")
        assert cursor.fetchone()[0] > 0


def test_a_second_district_in_the_same_database_is_refused(district):
    with pytest.raises(DistrictError, match="already holds a district"):
        build_district(TINY, log=lambda line: None)


def test_the_district_is_refused_off_postgresql(tmp_path):
    # A command of its own on a SQLite file, so that the refusal is checked in both CI runs.
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environment = {**os.environ, "DEBUG": "1", "VAR_DIR": str(tmp_path), "DATABASE_URL": database}
    refused = subprocess.run(
        [sys.executable, "manage.py", "seed_district", "--scale", "tiny"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert "The district is built with PostgreSQL's COPY" in refused.stderr


def test_a_scale_is_a_name_or_a_number_of_communities():
    assert plan_for("tiny") == TINY
    assert plan_for("7") == DistrictPlan(communities=7)
    with pytest.raises(ValueError, match="Unknown scale 'huge'"):
        plan_for("huge")
