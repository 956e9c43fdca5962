"""The daily risk detection: each rule raises its risk at its threshold and not below, idempotently and set-based."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask

from accountability.models import Risk, RiskKind, RiskStatus
from accountability.services import risk_detection as risk_rules
from accountability.services.risk_detection import JOB_NAME, detect_risks
from accountability.tasks import detect_risks_task
from audit.models import AuditAction, AuditEntry
from coproduction.models import CallStatus, Project, Stage
from jobs.models import JobOutcome, JobRun
from partners.models import OrganisationKind
from service_list.models import ServiceNature
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CheckInFactory,
    ClaimFactory,
    DutyFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ReviewFactory,
    RiskFactory,
    ServiceReportFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def risks(kind):
    return Risk.objects.filter(kind=kind)


# --- Fixtures per rule ---------------------------------------------------------------------


def loss_making_periods(count, project=None):
    project = project or ProjectFactory()
    organisation = OrganisationFactory()
    for month in range(1, count + 1):
        ServiceReportFactory(
            project=project,
            organisation=organisation,
            period_start=date(2025, month, 1),
            period_end=date(2025, month, 28),
        )
    return project, organisation


def overdue_duties(count, project=None):
    project = project or ProjectFactory()
    DutyFactory.create_batch(count, project=project, next_due_on=TODAY - timedelta(days=20))
    return project


def favoured_by_reviewer(calls):
    reviewer, favourite = UserFactory(), OrganisationFactory()
    for _call in range(calls):
        call = CallFactory()
        ReviewFactory(reviewer=reviewer, application=ApplicationFactory(call=call, organisation=favourite), total=90)
        ReviewFactory(reviewer=reviewer, application=ApplicationFactory(call=call), total=60)
    return reviewer, favourite


def left_welfare_kept_market():
    organisation = OrganisationFactory()
    ParticipationFactory(
        organisation=organisation,
        left_on=TODAY - timedelta(days=10),
        project=ProjectFactory(service_item__nature=ServiceNature.WELFARE),
    )
    ParticipationFactory(organisation=organisation, project=ProjectFactory(service_item__nature=ServiceNature.MARKET))
    return organisation


def checkins(*, earlier, recent):
    task = TaskFactory(capacity=20)
    claims = ClaimFactory.create_batch(max(earlier, recent), task=task)
    for claim in claims[:earlier]:
        CheckInFactory(claim=claim, on=TODAY - timedelta(days=45))
    for claim in claims[:recent]:
        CheckInFactory(claim=claim, on=TODAY - timedelta(days=5))
    return task.project.community


def ngo_with(*, market, welfare):
    ngo = OrganisationFactory(kind=OrganisationKind.NGO)
    for nature, count in [(ServiceNature.MARKET, market), (ServiceNature.WELFARE, welfare)]:
        for _participation in range(count):
            ParticipationFactory(organisation=ngo, project=ProjectFactory(service_item__nature=nature))
    return ngo


def lapsed_call(applications=0):
    call = CallFactory(project__service_item__nature=ServiceNature.WELFARE)
    ApplicationFactory.create_batch(applications, call=call)
    type(call).objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(days=1))
    return call


def design_project(days):
    project = ProjectFactory(stage=Stage.DESIGN)
    Project.objects.filter(pk=project.pk).update(created_at=timezone.now() - timedelta(days=days))
    return project


# --- Each rule at and below its threshold --------------------------------------------------


def test_two_loss_making_periods_in_a_row_raise_financial_unsustainability_for_the_provider():
    project, organisation = loss_making_periods(2)

    detect_risks()

    risk = risks(RiskKind.FINANCIAL_UNSUSTAINABILITY).get()
    assert (risk.subject_key, risk.project, risk.organisation) == (
        f"project:{project.pk}:organisation:{organisation.pk}",
        project,
        organisation,
    )
    assert risk.details["periods"] == 2


def test_one_loss_making_period_raises_no_financial_risk():
    loss_making_periods(1)

    detect_risks()

    assert not risks(RiskKind.FINANCIAL_UNSUSTAINABILITY).exists()


def test_three_long_overdue_duties_raise_responsibility_ambiguity_for_the_project():
    project = overdue_duties(3)

    detect_risks()

    assert risks(RiskKind.RESPONSIBILITY_AMBIGUITY).get().project == project


def test_two_long_overdue_duties_raise_no_ambiguity():
    overdue_duties(2)

    detect_risks()

    assert not risks(RiskKind.RESPONSIBILITY_AMBIGUITY).exists()


def test_a_duty_whose_accountable_party_left_raises_responsibility_ambiguity():
    duty = DutyFactory(accountable__left_on=TODAY - timedelta(days=1))

    detect_risks()

    assert risks(RiskKind.RESPONSIBILITY_AMBIGUITY).get().details["orphaned_duties"] == 1
    assert risks(RiskKind.RESPONSIBILITY_AMBIGUITY).get().project_id == duty.project_id


def test_an_award_with_a_single_applicant_raises_rent_seeking_on_the_call():
    application = ApplicationFactory()
    call = application.call
    type(call).objects.filter(pk=call.pk).update(
        status=CallStatus.AWARDED,
        awarded_application=application,
        awarded_by=call.opened_by,
        awarded_at=timezone.now(),
        award_reason="Only applicant.",
        single_applicant=True,
    )

    detect_risks()

    risk = risks(RiskKind.RENT_SEEKING).get()
    assert (risk.subject_key, risk.organisation) == (f"call:{call.pk}", application.organisation)


def test_a_reviewer_who_scored_one_organisation_highest_in_three_calls_raises_rent_seeking():
    reviewer, favourite = favoured_by_reviewer(3)

    detect_risks()

    risk = risks(RiskKind.RENT_SEEKING).get()
    assert risk.subject_key == f"reviewer:{reviewer.pk}:org:{favourite.pk}"
    assert risk.details["calls"] == 3


def test_a_reviewer_favouring_one_organisation_in_two_calls_raises_nothing():
    favoured_by_reviewer(2)

    detect_risks()

    assert not risks(RiskKind.RENT_SEEKING).exists()


def test_leaving_welfare_work_while_keeping_market_work_raises_cherry_picking():
    organisation = left_welfare_kept_market()

    detect_risks()

    assert risks(RiskKind.CHERRY_PICKING).get().organisation == organisation


def test_leaving_welfare_work_over_a_year_ago_raises_no_cherry_picking():
    organisation = left_welfare_kept_market()
    organisation.participations.filter(left_on__isnull=False).update(left_on=TODAY - timedelta(days=400))

    detect_risks()

    assert not risks(RiskKind.CHERRY_PICKING).exists()


def test_check_ins_falling_by_forty_percent_raise_free_riding_for_the_community():
    community = checkins(earlier=5, recent=3)

    detect_risks()

    risk = risks(RiskKind.FREE_RIDING).get()
    assert (risk.community, risk.details["checkins_before"], risk.details["checkins_now"]) == (community, 5, 3)


def test_the_free_riding_summary_names_the_falling_signals_in_the_readers_language():
    checkins(earlier=5, recent=3)

    with translation.override("zh-hans"):
        detect_risks()

    summary = risks(RiskKind.FREE_RIDING).get().summary
    assert summary.endswith("（打卡）") and "checkins" not in summary


def test_check_ins_falling_by_twenty_percent_raise_no_free_riding():
    checkins(earlier=5, recent=4)

    detect_risks()

    assert not risks(RiskKind.FREE_RIDING).exists()


def test_free_riding_counts_each_day_in_one_window_only():
    """The earlier window is the FREE_RIDING_DAYS days before the recent one, which ends today."""
    days = risk_rules.FREE_RIDING_DAYS
    days_ago = [2 * days + 1, 2 * days, 2 * days - 1, days + 5, days + 2, days + 1, days, 0]
    claims = ClaimFactory.create_batch(len(days_ago), task=TaskFactory(capacity=20))
    for claim, ago in zip(claims, days_ago, strict=True):
        CheckInFactory(claim=claim, on=TODAY - timedelta(days=ago))

    detect_risks()

    risk = risks(RiskKind.FREE_RIDING).get()
    assert (risk.details["checkins_before"], risk.details["checkins_now"]) == (5, 2)
    assert risk.details["drops"] == {"checkins": 0.6}


def test_new_claims_falling_by_two_thirds_raise_free_riding_even_without_check_ins():
    from django.utils import timezone

    from coproduction.models import Claim

    task = TaskFactory(capacity=20)
    earlier = ClaimFactory.create_batch(6, task=task)
    ClaimFactory.create_batch(2, task=task)
    Claim.objects.filter(pk__in=[claim.pk for claim in earlier]).update(claimed_at=timezone.now() - timedelta(days=45))

    detect_risks()

    risk = risks(RiskKind.FREE_RIDING).get()
    assert (risk.community, risk.details["claims_before"], risk.details["claims_now"]) == (task.project.community, 6, 2)
    assert "claims" in risk.summary


def test_an_ngo_mostly_in_market_services_raises_welfare_drift():
    ngo = ngo_with(market=2, welfare=1)

    detect_risks()

    assert risks(RiskKind.WELFARE_DRIFT).get().organisation == ngo


def test_an_ngo_half_in_market_services_raises_no_welfare_drift():
    ngo_with(market=1, welfare=1)

    detect_risks()

    assert not risks(RiskKind.WELFARE_DRIFT).exists()


def test_a_welfare_call_past_its_deadline_without_applications_raises_incentive_shortfall():
    call = lapsed_call()

    detect_risks()

    assert risks(RiskKind.INCENTIVE_SHORTFALL).get().subject_key == f"call:{call.pk}"


def test_a_welfare_call_past_its_deadline_with_an_application_raises_no_shortfall():
    lapsed_call(applications=1)

    detect_risks()

    assert not risks(RiskKind.INCENTIVE_SHORTFALL).exists()


def test_a_project_in_design_for_over_half_a_year_raises_collective_action_deadlock():
    project = design_project(181)

    detect_risks()

    assert risks(RiskKind.COLLECTIVE_ACTION_DEADLOCK).get().project == project


def test_a_project_in_design_for_under_half_a_year_raises_no_deadlock():
    design_project(179)

    detect_risks()

    assert not risks(RiskKind.COLLECTIVE_ACTION_DEADLOCK).exists()


def test_a_project_whose_calls_were_cancelled_twice_raises_collective_action_deadlock():
    project = ProjectFactory(stage=Stage.DESIGN)
    CallFactory.create_batch(2, project=project, status=CallStatus.CANCELLED)

    detect_risks()

    assert risks(RiskKind.COLLECTIVE_ACTION_DEADLOCK).get().details["cancelled_calls"] == 2


# --- Idempotency, updates, closed risks ----------------------------------------------------


def test_a_second_run_changes_nothing():
    loss_making_periods(2)
    overdue_duties(3)
    design_project(200)
    first = detect_risks()
    rows = list(Risk.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()

    second = detect_risks()

    assert sum(first.values()) == 3
    assert sum(second.values()) == 0
    assert list(Risk.objects.order_by("pk").values()) == rows
    assert AuditEntry.objects.count() == entries


def test_new_risks_are_audited_as_created_by_the_job():
    overdue_duties(3)

    detect_risks()

    entry = AuditEntry.objects.get(object_id=str(risks(RiskKind.RESPONSIBILITY_AMBIGUITY).get().pk))
    assert (entry.action, entry.actor) == (AuditAction.CREATE, None)


def test_a_worsening_signal_updates_the_open_risk_and_audits_the_change():
    project, organisation = loss_making_periods(2)
    detect_risks()
    for month in (3, 4):
        ServiceReportFactory(
            project=project,
            organisation=organisation,
            period_start=date(2025, month, 1),
            period_end=date(2025, month, 28),
        )

    counts = detect_risks()

    risk = risks(RiskKind.FINANCIAL_UNSUSTAINABILITY).get()
    assert counts["financial_unsustainability_updated"] == 1
    assert (risk.severity, risk.details["periods"]) == ("high", 4)
    assert AuditEntry.objects.filter(object_id=str(risk.pk), action=AuditAction.CHANGE).count() == 1


def test_a_closed_risk_is_left_alone_and_a_persisting_signal_raises_a_new_open_one():
    project = overdue_duties(3)
    closed = RiskFactory(
        kind=RiskKind.RESPONSIBILITY_AMBIGUITY,
        community=project.community,
        subject_key=f"project:{project.pk}",
        status=RiskStatus.CLOSED,
        closed_at=timezone.now(),
        summary="Closed by an official",
    )
    before = Risk.objects.filter(pk=closed.pk).values().get()

    detect_risks()

    assert Risk.objects.filter(pk=closed.pk).values().get() == before
    assert risks(RiskKind.RESPONSIBILITY_AMBIGUITY).filter(status=RiskStatus.OPEN).count() == 1


def test_the_query_count_does_not_grow_with_the_number_of_flagged_subjects():
    def run_with(n):
        Risk.objects.all().delete()
        for _subject in range(n):
            loss_making_periods(2)
            overdue_duties(3)
            design_project(200)
            left_welfare_kept_market()
            lapsed_call()
            checkins(earlier=5, recent=2)
        with CaptureQueriesContext(connection) as queries:
            detect_risks()
        return len(queries)

    small = run_with(2)
    large = run_with(20)

    assert small == large


# --- Job, task, command, schedule ----------------------------------------------------------


def test_the_command_runs_the_job_on_record_and_prints_the_counts():
    overdue_duties(3)
    out = StringIO()

    call_command("detect_risks", stdout=out)

    run = JobRun.objects.get(job=JOB_NAME)
    assert run.outcome == JobOutcome.SUCCEEDED
    assert run.counts["responsibility_ambiguity_raised"] == 1
    assert "responsibility_ambiguity_raised: 1" in out.getvalue()


def test_the_celery_task_runs_the_job():
    design_project(200)

    result = detect_risks_task.apply().get()

    assert result["outcome"] == JobOutcome.SUCCEEDED
    assert risks(RiskKind.COLLECTIVE_ACTION_DEADLOCK).count() == 1


def test_the_default_schedule_is_installed_daily_at_half_past_two_shanghai_time():
    task = PeriodicTask.objects.get(task=JOB_NAME)

    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("30", "2", "Asia/Shanghai")


def test_every_kind_of_risk_has_a_rule():
    assert set(risk_rules.RULES) == set(RiskKind.values)
