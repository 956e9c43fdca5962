"""A job run's lease: renewed while its worker lives; lapsed, its run is interrupted and the next run takes over."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from celery.exceptions import Retry
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from jobs import execution as jobs
from jobs.execution import job_execute, job_step, job_task_execute, lock_key
from jobs.models import JobOutcome, JobRun
from tests import factories
from tests.needs import require_postgresql
from tests.pages import official_of
from tests.reliability.servers import wait_until

pytestmark = pytest.mark.django_db

JOB = "accountability.recompute_accountability"
INTERRUPTED = "Interrupted: the process running the job stopped before the run ended."


def a_run(*, lease_from_now: timedelta) -> JobRun:
    """A run on record as running, whose lease ends `lease_from_now` from now (negative: lapsed)."""
    now = timezone.now()
    return factories.JobRunFactory(
        job=JOB,
        outcome=JobOutcome.RUNNING,
        finished_at=None,
        started_at=now - timedelta(minutes=5),
        lease_until=now + lease_from_now,
    )


@pytest.fixture
def lock_held_elsewhere():
    """On PostgreSQL, the job's advisory lock held by another session: a connection that closes at the end."""
    if connection.vendor != "postgresql":
        yield None
        return
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(JOB, None)])
    try:
        yield other
    finally:
        other.close()


def test_a_run_whose_lease_has_lapsed_is_interrupted_and_the_next_run_takes_over():
    lost = a_run(lease_from_now=-timedelta(seconds=1))

    run = job_execute(name=JOB, work=lambda: {"done": 1})

    lost.refresh_from_db()
    assert (lost.outcome, lost.error, lost.finished_at) == (JobOutcome.INTERRUPTED, INTERRUPTED, run.started_at)
    assert (run.outcome, run.counts) == (JobOutcome.SUCCEEDED, {"done": 1})


def test_a_run_whose_lease_is_alive_keeps_the_job_and_the_next_run_is_skipped(lock_held_elsewhere):
    alive = a_run(lease_from_now=timedelta(seconds=30))
    worked = []

    run = job_execute(name=JOB, work=lambda: worked.append(1) or {})

    alive.refresh_from_db()
    assert alive.outcome == JobOutcome.RUNNING and alive.finished_at is None
    assert run.outcome == JobOutcome.SKIPPED and worked == []


def test_a_new_run_holds_a_lease_of_the_configured_length(settings):
    settings.JOB_LEASE_SECONDS = 90
    seen = {}

    def work():
        seen["run"] = JobRun.objects.get(outcome=JobOutcome.RUNNING)
        return {}

    job_execute(name=JOB, work=work)

    assert seen["run"].lease_until == seen["run"].started_at + timedelta(seconds=90)


def test_a_lease_of_another_job_or_scope_does_not_matter():
    factories.JobRunFactory(job="evaluation.recompute_trust_scores", outcome=JobOutcome.RUNNING, finished_at=None)
    elsewhere = factories.JobRunFactory(
        job=JOB,
        community=factories.CommunityFactory(),
        outcome=JobOutcome.RUNNING,
        finished_at=None,
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    run = job_execute(name=JOB, work=lambda: {"done": 1})

    elsewhere.refresh_from_db()
    assert run.outcome == JobOutcome.SUCCEEDED and elsewhere.outcome == JobOutcome.RUNNING


@pytest.mark.django_db(transaction=True)
def test_the_lease_is_renewed_while_the_job_works(settings):
    settings.JOB_LEASE_SECONDS = 1  # renewed every third of a second
    renewed = []

    def work():
        run = JobRun.objects.get(outcome=JobOutcome.RUNNING)
        first = run.lease_until

        def renewed_since_start():
            return JobRun.objects.get(pk=run.pk).lease_until > first

        wait_until(renewed_since_start, what="the lease to be renewed", timeout=10)
        renewed.append(True)
        return {}

    run = job_execute(name=JOB, work=work)

    assert renewed and run.outcome == JobOutcome.SUCCEEDED


# --- PostgreSQL: the lock still held by the session of a lost worker ----------------------


def waiting_for_an_advisory_lock(other) -> bool:
    with other.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_the_lock_of_a_lost_worker_s_session_is_taken_over_once_that_session_ends(lock_held_elsewhere):
    require_postgresql("advisory locks are PostgreSQL's; on SQLite the lease alone decides (tested above)")
    lost = a_run(lease_from_now=-timedelta(seconds=1))

    def session_ends_once_waited_for():
        wait_until(lambda: waiting_for_an_advisory_lock(lock_held_elsewhere), what="the new run to wait for the lock")
        lock_held_elsewhere.close()

    lock_held_elsewhere.inc_thread_sharing()
    ender = threading.Thread(target=session_ends_once_waited_for)
    ender.start()
    run = job_execute(name=JOB, work=lambda: {"done": 1})
    ender.join()
    lock_held_elsewhere.dec_thread_sharing()

    lost.refresh_from_db()
    assert (lost.outcome, run.outcome) == (JobOutcome.INTERRUPTED, JobOutcome.SUCCEEDED)


def test_a_lock_held_past_every_lease_and_the_wait_is_left_alone_and_the_run_skipped(lock_held_elsewhere, monkeypatch):
    require_postgresql("advisory locks are PostgreSQL's; on SQLite the lease alone decides (tested above)")
    monkeypatch.setattr(jobs, "TAKEOVER_WAIT_SECONDS", 1)
    lost = a_run(lease_from_now=-timedelta(seconds=1))

    run = job_execute(name=JOB, work=lambda: {"done": 1})

    lost.refresh_from_db()
    assert (lost.outcome, run.outcome) == (JobOutcome.RUNNING, JobOutcome.SKIPPED)


# --- The task: delivered again after its worker was lost -----------------------------------


class FakeTask:
    """What job_task_execute() asks of a bound Celery task: its request's delivery, and retry()."""

    def __init__(self, *, redelivered: bool):
        self.request = SimpleNamespace(delivery_info={"redelivered": redelivered})
        self.retried_after = None

    def retry(self, *, countdown):
        self.retried_after = countdown
        return Retry()


def test_a_redelivered_task_finding_a_live_lease_retries_once_it_would_have_lapsed(settings, lock_held_elsewhere):
    settings.JOB_LEASE_SECONDS = 45
    a_run(lease_from_now=timedelta(seconds=30))
    task = FakeTask(redelivered=True)

    with pytest.raises(Retry):
        job_task_execute(task, name=JOB, work=lambda: {"done": 1})

    assert task.retried_after == 45
    assert JobRun.objects.filter(outcome=JobOutcome.SKIPPED).count() == 1


def test_a_first_delivery_finding_a_live_lease_is_skipped_as_usual(lock_held_elsewhere):
    a_run(lease_from_now=timedelta(seconds=30))
    task = FakeTask(redelivered=False)

    result = job_task_execute(task, name=JOB, work=lambda: {"done": 1})

    assert result["outcome"] == JobOutcome.SKIPPED and task.retried_after is None


def test_a_redelivered_task_with_the_job_free_runs_it():
    a_run(lease_from_now=-timedelta(seconds=1))

    result = job_task_execute(FakeTask(redelivered=True), name=JOB, work=lambda: {"done": 1})

    assert (result["outcome"], result["counts"]) == (JobOutcome.SUCCEEDED, {"done": 1})


# --- The test hook: pausing a job at a step -------------------------------------------------


def test_a_job_step_does_nothing_without_a_pause_folder(settings, tmp_path):
    settings.JOB_PAUSE_DIR = ""
    (tmp_path / "job.step.pause").touch()

    job_step("job.step")

    assert (tmp_path / "job.step.pause").exists()


def test_a_job_pauses_once_at_the_step_a_test_named_until_released(settings, tmp_path):
    settings.JOB_PAUSE_DIR = str(tmp_path)
    (tmp_path / "job.step.pause").touch()
    paused = tmp_path / "job.step.paused"

    first = threading.Thread(target=job_step, args=["job.step"])
    first.start()
    wait_until(paused.exists, what="the job to pause")
    assert first.is_alive()
    job_step("job.step")  # a second run passes: the pause was taken
    paused.unlink()
    first.join(timeout=10)

    assert not first.is_alive()


# --- Where officials and administrators see it ---------------------------------------------


def test_the_jobs_page_shows_an_interrupted_run_in_chinese(client):
    community = factories.CommunityFactory()
    factories.JobRunFactory(job=JOB, outcome=JobOutcome.INTERRUPTED, error=INTERRUPTED)
    client.force_login(official_of(community))

    html = client.get(
        reverse("dashboard:job_list", kwargs={"code": community.code}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "已中断：运行它的进程在运行结束前停止" in html
    assert "badge--interrupted" in html


def test_the_admin_lists_and_filters_interrupted_runs_in_chinese(admin_client):
    factories.JobRunFactory(job=JOB, outcome=JobOutcome.INTERRUPTED, error=INTERRUPTED)

    response = admin_client.get(
        reverse("admin:jobs_jobrun_changelist"), {"outcome": "interrupted"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.context["cl"].result_count == 1
    # The run's row and the outcome filter.
    assert response.content.decode().count("已中断：运行它的进程在运行结束前停止") >= 2


def test_every_periodic_job_s_task_is_acknowledged_late_and_requeued_when_its_worker_is_lost():
    periodic = [
        "accountability.recompute_accountability",
        "accountability.detect_risks",
        "accountability.build_supervision_reports",
        "evaluation.recompute_trust_scores",
    ]
    # As a worker does when it starts: every app's tasks module, found by autodiscovery.
    celery_app.loader.import_default_modules()
    for name in periodic:
        task = celery_app.tasks[name]
        assert (name, task.acks_late, task.reject_on_worker_lost) == (name, True, True)
