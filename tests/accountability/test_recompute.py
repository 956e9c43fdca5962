"""The daily accountability job: breaches for every kind of miss, idempotent, set-based, single-flight, on record."""

import logging
import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accountability.models import Breach, BreachKind, BreachStatus, InspectionResult, Sanction, Severity
from accountability.services.breach_detection import JOB_NAME, recompute_accountability, report_period_due
from accountability.services.breaches import breach_resolve
from accountability.tasks import recompute_accountability_task
from audit.models import AuditAction, AuditEntry
from config.celery import app as celery_app
from coproduction.models import Claim, ClaimStatus, ParticipationRole
from jobs.execution import enqueue_on_commit, job_execute, job_run
from jobs.models import JobOutcome, JobRun
from tests.factories import (
    ClaimFactory,
    ComplaintFactory,
    DutyCompletionFactory,
    DutyFactory,
    InspectionFactory,
    JobRunFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ServiceReportFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def overdue_duty(project, party, today, days=3):
    return DutyFactory(project=project, accountable=party, next_due_on=today - timedelta(days=days))


def late_complaint(project, organisation):
    """Past its deadline, routed to an organisation with staff to answer it."""
    MembershipFactory(organisation=organisation)
    filed = timezone.now() - timedelta(days=5)
    return ComplaintFactory(
        project=project, routed_to=organisation, filed_at=filed, response_due_at=filed + timedelta(days=3)
    )


def silent_claim(project):
    """An active claim whose resident never checked in after claiming six weeks ago."""
    claim = ClaimFactory(task=TaskFactory(project=project, period_start=timezone.localdate() - timedelta(days=60)))
    Claim.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - timedelta(days=42))
    return claim


def failed_inspection(project, organisation):
    return InspectionFactory(project=project, organisation=organisation, result=InspectionResult.FAILED)


def duty_breach():
    return Breach.objects.get(kind=BreachKind.OVERDUE_DUTY)


def breach_rows():
    return list(Breach.objects.order_by("pk").values())


# --- Each kind of miss ---------------------------------------------------------------------


def test_an_overdue_duty_opens_a_breach_naming_its_accountable_organisation(project, provider, today):
    duty = overdue_duty(project, provider, today)

    counts = recompute_accountability(today=today)

    assert counts["overdue_duty_opened"] == 1
    breach = Breach.objects.get(kind=BreachKind.OVERDUE_DUTY)
    assert (breach.duty, breach.due_on, breach.organisation) == (duty, duty.next_due_on, provider.organisation)
    assert (breach.project, breach.status, breach.severity) == (project, BreachStatus.OPEN, Severity.LOW)


def test_a_duty_not_yet_due_or_completed_opens_no_breach(project, provider, today):
    DutyFactory(project=project, accountable=provider, next_due_on=today)
    DutyCompletionFactory(duty=overdue_duty(project, provider, today))

    assert recompute_accountability(today=today)["overdue_duty_opened"] == 0
    assert not Breach.objects.filter(kind=BreachKind.OVERDUE_DUTY).exists()


def test_severity_of_an_overdue_duty_follows_the_days_overdue(project, provider, today):
    overdue_duty(project, provider, today, days=8)
    overdue_duty(project, provider, today, days=31)

    recompute_accountability(today=today)

    severities = Breach.objects.filter(kind=BreachKind.OVERDUE_DUTY).values_list("severity", flat=True)
    assert sorted(severities) == [Severity.HIGH, Severity.MEDIUM]


def test_a_provider_without_a_report_for_the_last_due_month_is_in_breach(project, provider, today):
    reporting = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    start, end = report_period_due(today)
    ServiceReportFactory(project=project, organisation=reporting.organisation, period_start=start, period_end=end)

    counts = recompute_accountability(today=today)

    assert counts["missed_report_opened"] == 1
    breach = Breach.objects.get(kind=BreachKind.MISSED_REPORT)
    assert (breach.organisation, breach.project, breach.due_on) == (provider.organisation, project, start)


def test_reports_are_due_by_the_tenth_of_the_following_month():
    assert report_period_due(date(2026, 3, 10)) == (date(2026, 1, 1), date(2026, 1, 31))
    assert report_period_due(date(2026, 3, 11)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert report_period_due(date(2026, 1, 5)) == (date(2025, 11, 1), date(2025, 11, 30))


def test_a_complaint_past_its_deadline_opens_a_breach_for_the_organisation_it_was_routed_to(project, provider, today):
    complaint = late_complaint(project, provider.organisation)
    ComplaintFactory(project=project, routed_to=provider.organisation)  # still within its deadline

    counts = recompute_accountability(today=today)

    assert counts["unanswered_complaint_opened"] == 1
    breach = Breach.objects.get(kind=BreachKind.UNANSWERED_COMPLAINT)
    assert (breach.complaint, breach.organisation) == (complaint, provider.organisation)
    assert breach.severity == Severity.MEDIUM


def test_a_claim_without_check_ins_lapses_and_its_breach_names_the_projects_lead(project, lead, provider, today):
    claim = silent_claim(project)

    counts = recompute_accountability(today=today)

    assert (counts["claims_lapsed"], counts["lapsed_claim_opened"]) == (1, 1)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.LAPSED
    breach = Breach.objects.get(kind=BreachKind.LAPSED_CLAIM)
    assert (breach.claim, breach.organisation, breach.project) == (claim, lead.organisation, project)


def test_a_lapsed_claim_names_the_first_provider_when_the_project_has_no_lead(project, provider, today):
    silent_claim(project)
    ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)

    recompute_accountability(today=today)

    assert Breach.objects.get(kind=BreachKind.LAPSED_CLAIM).organisation == provider.organisation


def test_a_failed_inspection_without_a_breach_gets_one(project, provider, today):
    inspection = failed_inspection(project, provider.organisation)
    InspectionFactory(project=project, organisation=provider.organisation)  # passed

    counts = recompute_accountability(today=today)

    assert counts["failed_inspection_opened"] == 1
    breach = Breach.objects.get(kind=BreachKind.FAILED_INSPECTION)
    assert (breach.inspection, breach.organisation) == (inspection, provider.organisation)
    assert breach.severity == Severity.HIGH


def test_each_opened_breach_is_audited_with_no_actor(project, provider, today, audit_of):
    overdue_duty(project, provider, today)
    failed_inspection(project, provider.organisation)

    recompute_accountability(today=today)

    for breach in Breach.objects.all():
        [created] = audit_of(breach)
        assert (created.action, created.actor, created.after["kind"]) == (AuditAction.CREATE, None, breach.kind)


# --- Idempotence, resolved breaches, escalation, scope -------------------------------------


def every_kind(project, provider, today):
    overdue_duty(project, provider, today)
    late_complaint(project, provider.organisation)
    silent_claim(project)
    failed_inspection(project, provider.organisation)


def test_a_second_run_changes_nothing(project, lead, provider, today):
    every_kind(project, provider, today)
    first = recompute_accountability(today=today)
    rows, audit_entries = breach_rows(), AuditEntry.objects.count()

    second = recompute_accountability(today=today)

    assert sum(first.values()) > 0 and len(rows) == 5
    assert set(second.values()) == {0}
    assert breach_rows() == rows
    assert AuditEntry.objects.count() == audit_entries


def test_a_resolved_breach_is_neither_reopened_nor_modified(project, provider, official, today):
    overdue_duty(project, provider, today, days=3)
    recompute_accountability(today=today)
    breach = breach_resolve(
        breach=duty_breach(), user=official, resolution="Cleaned the next day.", sanction=Sanction.WARNING
    )
    resolved = list(Breach.objects.filter(pk=breach.pk).values())

    counts = recompute_accountability(today=today + timedelta(days=40))

    assert counts["overdue_duty_opened"] == counts["overdue_duty_updated"] == 0
    assert list(Breach.objects.filter(pk=breach.pk).values()) == resolved
    assert Breach.objects.filter(kind=BreachKind.OVERDUE_DUTY).count() == 1
    assert duty_breach().status == BreachStatus.RESOLVED


def test_an_overdue_duty_breach_escalates_as_it_gets_older(project, provider, today):
    overdue_duty(project, provider, today, days=1)
    recompute_accountability(today=today)
    first = duty_breach()

    week_later = recompute_accountability(today=today + timedelta(days=7))
    escalated = duty_breach()
    again = recompute_accountability(today=today + timedelta(days=7))

    assert (first.severity, escalated.severity) == (Severity.LOW, Severity.MEDIUM)
    assert week_later["overdue_duty_updated"] == 1 and escalated.updated_at > first.updated_at
    assert again["overdue_duty_updated"] == 0 and duty_breach().updated_at == escalated.updated_at


def test_a_complaint_breach_escalates_a_week_past_the_deadline(project, provider, today):
    complaint = late_complaint(project, provider.organisation)
    recompute_accountability(today=today)
    type(complaint).objects.filter(pk=complaint.pk).update(
        filed_at=complaint.filed_at - timedelta(days=8), response_due_at=complaint.response_due_at - timedelta(days=8)
    )

    counts = recompute_accountability(today=today)

    assert counts["unanswered_complaint_updated"] == 1
    assert Breach.objects.get(kind=BreachKind.UNANSWERED_COMPLAINT).severity == Severity.HIGH


def test_only_the_given_community_is_recomputed(project, provider, today):
    overdue_duty(project, provider, today)
    elsewhere = ParticipationFactory(role=ParticipationRole.PROVIDER)
    overdue_duty(elsewhere.project, elsewhere, today)

    counts = recompute_accountability(community_id=project.community_id, today=today)

    assert counts["overdue_duty_opened"] == 1
    assert set(Breach.objects.values_list("project", flat=True)) == {project.pk}


# --- Set-based: queries do not grow with the rows ------------------------------------------


def misses_in_a_new_community(n, today):
    project = ProjectFactory()
    street_office = OrganisationFactory(government=True)
    ParticipationFactory(project=project, role=ParticipationRole.LEAD, organisation=street_office)
    for _ in range(n):
        provider = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
        every_kind(project, provider, today)
    return project.community_id


def queries_of_a_run(community_id, today):
    with CaptureQueriesContext(connection) as queries:
        counts = recompute_accountability(community_id=community_id, today=today)
    return len(queries), counts


def test_the_number_of_queries_does_not_grow_with_the_rows(today):
    ContentType.objects.get_for_models(Breach, Claim)  # warm the cache both runs share
    small, large = misses_in_a_new_community(2, today), misses_in_a_new_community(20, today)

    small_queries, small_counts = queries_of_a_run(small, today)
    large_queries, large_counts = queries_of_a_run(large, today)

    assert small_counts["overdue_duty_opened"] == 2 and large_counts["overdue_duty_opened"] == 20
    assert large_counts["missed_report_opened"] == 20 and large_counts["lapsed_claim_opened"] == 20
    assert small_queries == large_queries


# --- Job runs: record, single flight, failure ----------------------------------------------


def test_a_run_records_its_outcome_and_counts(project, provider, today):
    overdue_duty(project, provider, today)

    run = job_execute(name=JOB_NAME, work=lambda: recompute_accountability(today=today))

    run = JobRun.objects.get(pk=run.pk)
    assert (run.job, run.outcome, run.counts["overdue_duty_opened"]) == (JOB_NAME, JobOutcome.SUCCEEDED, 1)
    assert run.finished_at >= run.started_at


def test_a_failing_job_is_recorded_as_failed_with_its_error():
    def work():
        raise RuntimeError("the data looked wrong")

    with pytest.raises(RuntimeError):
        job_execute(name=JOB_NAME, work=work)

    run = JobRun.objects.get()
    assert run.outcome == JobOutcome.FAILED
    assert run.error == "RuntimeError: the data looked wrong" and run.finished_at is not None


def test_a_running_record_abandoned_hours_ago_does_not_block_the_job():
    JobRunFactory(
        job=JOB_NAME, outcome=JobOutcome.RUNNING, finished_at=None, started_at=timezone.now() - timedelta(hours=7)
    )

    run = job_execute(name=JOB_NAME, work=lambda: {"done": 1})

    assert run.outcome == JobOutcome.SUCCEEDED


def run_in_another_thread(action):
    """Run `action` on its own thread and database connection, as a second worker would."""
    outcome = {}

    def contender():
        try:
            outcome["result"] = action()
        finally:
            connections.close_all()

    thread = threading.Thread(target=contender)
    thread.start()
    thread.join()
    return outcome["result"]


@pytest.mark.django_db(transaction=True)
def test_a_run_while_another_holds_the_lock_is_recorded_as_skipped():
    worked = []

    with job_run(JOB_NAME) as first:
        second = run_in_another_thread(lambda: job_execute(name=JOB_NAME, work=lambda: worked.append(1) or {}))
        first.counts = {"done": 1}
    after = job_execute(name=JOB_NAME, work=lambda: {"done": 2})

    assert second.outcome == JobOutcome.SKIPPED and worked == []
    assert JobRun.objects.get(pk=second.pk).finished_at is not None
    assert JobRun.objects.get(pk=first.run.pk).outcome == JobOutcome.SUCCEEDED
    assert after.outcome == JobOutcome.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_run_for_one_community_does_not_block_a_run_for_another(project):
    with job_run(JOB_NAME, community=project.community):
        other = run_in_another_thread(lambda: job_execute(name=JOB_NAME, work=lambda: {"done": 1}))

    assert other.outcome == JobOutcome.SUCCEEDED


# --- The task, the command, the schedule, enqueueing ---------------------------------------


def test_the_task_runs_the_job_through_a_job_run(project, provider, today):
    overdue_duty(project, provider, today)

    result = recompute_accountability_task.apply(kwargs={"community_id": project.community_id}).get()

    run = JobRun.objects.get(pk=result["job_run"])
    assert (run.outcome, run.community, run.counts["overdue_duty_opened"]) == (
        JobOutcome.SUCCEEDED,
        project.community,
        1,
    )
    assert Breach.objects.filter(kind=BreachKind.OVERDUE_DUTY, project=project).count() == 1


def test_the_command_runs_the_job_for_a_community_given_by_code(project, provider, today):
    overdue_duty(project, provider, today)
    out = StringIO()

    call_command("recompute_accountability", "--community", project.community.code, stdout=out)

    assert "overdue_duty_opened: 1" in out.getvalue()
    assert JobRun.objects.get().community == project.community
    assert Breach.objects.filter(kind=BreachKind.OVERDUE_DUTY).count() == 1


def test_the_command_refuses_an_unknown_community():
    with pytest.raises(CommandError, match="No community"):
        call_command("recompute_accountability", "--community", "nowhere", stdout=StringIO())
    assert not JobRun.objects.exists()


def test_the_daily_schedule_is_installed_at_two_in_the_morning_shanghai_time():
    task = PeriodicTask.objects.get(task=JOB_NAME)

    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("0", "2", "Asia/Shanghai")


def test_enqueueing_with_the_broker_down_logs_and_does_not_raise(
    unreachable_broker, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.ERROR, logger="jobs.execution"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        enqueue_on_commit(JOB_NAME, community_id=None)

    assert len(callbacks) == 1
    assert "Could not enqueue accountability.recompute_accountability" in caplog.text


def test_enqueueing_waits_for_the_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, **options: sent.append((name, options["kwargs"])))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(JOB_NAME, community_id=7)
    assert sent == []
    callbacks[0]()

    assert sent == [(JOB_NAME, {"community_id": 7})]
