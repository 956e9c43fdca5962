"""A real Celery worker process picks up a task from the configured broker and reaches the test database."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from accountability.models import Breach, BreachKind
from config.celery import app
from jobs.models import JobOutcome, JobRun
from jobs.tasks import ping
from tests.factories import CommunityFactory, DutyFactory

ROOT = Path(__file__).resolve().parents[2]


def database_url_of_test_database() -> str:
    """The URL of the database this test run created, for the worker to connect to."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    env = dict(os.environ, DATABASE_URL=database_url_of_test_database())
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.mark.worker
def test_a_worker_process_runs_an_enqueued_task_against_the_database(worker):
    CommunityFactory.create_batch(2)
    result = ping.delay()
    assert result.get(timeout=90) == {"pong": True, "communities": 2}
    assert worker.poll() is None, "the worker died"


@pytest.mark.worker
def test_a_worker_runs_the_accountability_job_enqueued_by_name_and_the_breach_appears(worker):
    duty = DutyFactory(next_due_on=timezone.localdate() - timedelta(days=2))

    community_id = duty.project.community_id
    result = app.send_task("accountability.recompute_accountability", kwargs={"community_id": community_id})

    outcome = result.get(timeout=90)
    assert outcome["outcome"] == JobOutcome.SUCCEEDED
    breach = Breach.objects.get(kind=BreachKind.OVERDUE_DUTY)
    assert (breach.duty, breach.organisation) == (duty, duty.accountable.organisation)
    assert JobRun.objects.get(pk=outcome["job_run"]).counts["overdue_duty_opened"] == 1
    assert worker.poll() is None, "the worker died"


@pytest.mark.worker
def test_a_worker_runs_the_risk_trust_and_supervision_jobs_enqueued_by_name(worker):
    from accountability.models import Risk, RiskKind, SupervisionReport
    from coproduction.models import Project, Stage
    from evaluation.models import TrustScore
    from partners.models import Organisation
    from tests.factories import OrganisationFactory, ProjectFactory

    OrganisationFactory.create_batch(2)
    stuck = ProjectFactory(stage=Stage.DESIGN)
    Project.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(days=400))
    jobs = [
        ("accountability.detect_risks", {}),
        ("evaluation.recompute_trust_scores", {}),
        ("accountability.build_supervision_reports", {"period_kind": "monthly"}),
    ]

    results = [app.send_task(name, kwargs=kwargs) for name, kwargs in jobs]

    assert [result.get(timeout=120)["outcome"] for result in results] == [JobOutcome.SUCCEEDED] * 3
    assert Risk.objects.get(kind=RiskKind.COLLECTIVE_ACTION_DEADLOCK).project == stuck
    assert TrustScore.objects.count() == Organisation.objects.count() == 2
    assert SupervisionReport.objects.get(period_kind="monthly", community=stuck.community)
    assert worker.poll() is None, "the worker died"
