"""The daily trust-score job: run by hand or by Celery, on record, scheduled, one row per organisation a day."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_celery_beat.models import PeriodicTask

from evaluation.models import TrustScore
from evaluation.tasks import TRUST_JOB_NAME, recompute_trust_scores_task
from jobs.execution import lock_key
from jobs.models import JobOutcome, JobRun
from tests.factories import BreachFactory, JobRunFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_command_computes_a_score_for_every_organisation_and_prints_the_count():
    organisations = OrganisationFactory.create_batch(3)
    out = StringIO()

    call_command("recompute_trust_scores", stdout=out)

    assert f"trust_scores_written: {len(organisations)}" in out.getvalue()
    assert set(TrustScore.objects.values_list("organisation_id", flat=True)) == {o.pk for o in organisations}


def test_each_run_is_recorded_with_its_outcome_and_counts():
    OrganisationFactory.create_batch(2)

    call_command("recompute_trust_scores", stdout=StringIO())

    run = JobRun.objects.get(job=TRUST_JOB_NAME)
    assert run.outcome == JobOutcome.SUCCEEDED
    assert run.counts == {"trust_scores_written": 2}
    assert run.finished_at is not None


def test_the_celery_task_runs_the_job_when_called():
    organisation = OrganisationFactory()

    result = recompute_trust_scores_task.apply().get()

    assert result["outcome"] == JobOutcome.SUCCEEDED
    assert result["counts"] == {"trust_scores_written": 1}
    assert TrustScore.objects.filter(organisation=organisation).count() == 1


@pytest.fixture
def lock_held_elsewhere():
    """Another run holds the job's lock: on PostgreSQL its advisory lock on another connection,
    on SQLite its `running` record."""
    if connection.vendor != "postgresql":
        JobRunFactory(job=TRUST_JOB_NAME, outcome=JobOutcome.RUNNING)
        yield
        return
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(TRUST_JOB_NAME, None)])
    try:
        yield
    finally:
        other.close()


def test_a_run_while_another_holds_the_lock_is_skipped_and_writes_no_score(lock_held_elsewhere):
    OrganisationFactory()
    out = StringIO()

    call_command("recompute_trust_scores", stdout=out)

    assert "Skipped" in out.getvalue()
    assert JobRun.objects.filter(job=TRUST_JOB_NAME, outcome=JobOutcome.SKIPPED).count() == 1
    assert not TrustScore.objects.exists()


def test_the_default_schedule_is_installed_daily_at_three_shanghai_time():
    task = PeriodicTask.objects.get(task=TRUST_JOB_NAME)

    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("0", "3", "Asia/Shanghai")


def test_a_second_run_the_same_day_keeps_one_row_per_organisation_and_takes_in_new_breaches():
    organisation = OrganisationFactory()
    call_command("recompute_trust_scores", stdout=StringIO())
    first = TrustScore.objects.get(organisation=organisation)
    BreachFactory(organisation=organisation)

    call_command("recompute_trust_scores", stdout=StringIO())

    second = TrustScore.objects.get(organisation=organisation)
    assert second.pk == first.pk
    assert second.score < first.score
    assert JobRun.objects.filter(job=TRUST_JOB_NAME, outcome=JobOutcome.SUCCEEDED).count() == 2
