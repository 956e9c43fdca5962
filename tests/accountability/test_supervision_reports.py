"""Supervision reports: one stored snapshot per community and period, set-based, downloadable, sent to officials."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accountability.models import (
    BreachKind,
    BreachStatus,
    ComplaintStatus,
    InspectionResult,
    PeriodKind,
    RiskStatus,
    Severity,
    SupervisionReport,
)
from accountability.selectors import TOP_RISKS
from accountability.services.supervision_reports import (
    JOB_NAME,
    supervision_period,
    supervision_report_csv,
    supervision_report_html,
    supervision_reports_build,
)
from accountability.tasks import build_supervision_reports_task, supervision_job_name
from audit.models import AuditAction
from coproduction.models import GovernanceLevel, Mode, ReportStatus, Stage
from jobs.models import JobOutcome, JobRun
from partners.models import Community
from tests.factories import (
    BreachFactory,
    CommunityFactory,
    ComplaintFactory,
    DistrictFactory,
    DutyCompletionFactory,
    DutyFactory,
    InspectionFactory,
    OfficialPostFactory,
    ProjectFactory,
    RatingFactory,
    RiskFactory,
    ServiceReportFactory,
    StreetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARCH = date(2025, 3, 1)


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, hour))


def build_march(**options):
    return supervision_reports_build(period_kind=PeriodKind.MONTHLY, period_start=MARCH, **options)


def march_report(community) -> SupervisionReport:
    return SupervisionReport.objects.get(community=community, period_kind=PeriodKind.MONTHLY, period_start=MARCH)


def answered(project, filed, hours):
    return ComplaintFactory(
        project=project,
        filed_at=filed,
        status=ComplaintStatus.ANSWERED,
        response="We reheat them now.",
        responded_at=filed + timedelta(hours=hours),
    )


@pytest.fixture
def busy_march(project, provider, official):
    """A community whose March had something of every figure, and an official with an e-mail address."""
    community = project.community
    project.governance_authority, project.government_share = GovernanceLevel.HIGH, "0.6"
    project.save()
    ProjectFactory(community=community, stage=Stage.DESIGN)
    late = DutyFactory(project=project, accountable=provider, next_due_on=date(2025, 3, 10))
    DutyCompletionFactory(duty=DutyFactory(project=project, accountable=provider), due_on=date(2025, 3, 5))
    BreachFactory(project=project, duty=late, due_on=late.next_due_on, detected_at=at(11), updated_at=at(11))
    BreachFactory(
        project=project,
        detected_at=at(1, month=2),
        updated_at=at(20),
        status=BreachStatus.RESOLVED,
        resolved_at=at(20),
        resolved_by=official,
        resolution="Done.",
    )
    answered(project, at(2), 24)
    answered(project, at(4, 8), 12)
    ComplaintFactory(project=project, filed_at=at(20), response_due_at=at(23))
    InspectionFactory(project=project, inspected_on=date(2025, 3, 15))
    InspectionFactory(project=project, inspected_on=date(2025, 3, 16), result=InspectionResult.FAILED)
    ServiceReportFactory(project=project, organisation=provider.organisation)
    ServiceReportFactory(
        project=project,
        organisation=provider.organisation,
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
        status=ReportStatus.ACCEPTED,
        reviewed_by=official,
        reviewed_at=at(5),
    )
    RatingFactory(project=project, period=MARCH, score=4)
    RatingFactory(project=project, period=MARCH, score=5)
    RatingFactory(project=project, period=date(2025, 2, 1), score=1)
    RiskFactory(community=community, severity=Severity.LOW, summary="Few volunteers.")
    RiskFactory(community=community, severity=Severity.HIGH, summary="Single applicant.")
    RiskFactory(community=community, status=RiskStatus.CLOSED, severity=Severity.HIGH, summary="Old.")
    official.email = "director@example.org"
    official.save()
    return community


# --- The figures ---------------------------------------------------------------------------


def test_projects_are_counted_by_stage_and_mode(busy_march):
    build_march()

    projects = march_report(busy_march).data["projects"]
    assert projects["total"] == 2
    assert projects["by_stage"] == {Stage.OPERATION: 1, Stage.DESIGN: 1}
    assert projects["by_mode"] == {Mode.ADMINISTRATIVE_ABSORPTION: 1, "undetermined": 1}


def test_duties_due_in_the_period_and_those_missed_are_counted(busy_march):
    build_march()

    assert march_report(busy_march).data["duties"] == {"due": 2, "completed": 1, "missed": 1}


def test_breaches_opened_and_resolved_in_the_period_are_counted(busy_march):
    build_march()

    assert march_report(busy_march).data["breaches"] == {
        "opened": 1,
        "resolved": 1,
        "opened_by_kind": {BreachKind.OVERDUE_DUTY: 1},
    }


def test_complaints_are_counted_with_the_mean_response_time_in_hours(busy_march):
    build_march()

    assert march_report(busy_march).data["complaints"] == {
        "filed": 3,
        "answered": 2,
        "mean_response_hours": 18.0,
        "overdue": 1,
    }


def test_inspections_are_counted_by_result(busy_march):
    build_march()

    assert march_report(busy_march).data["inspections"] == {
        "total": 2,
        "by_result": {InspectionResult.PASSED: 1, InspectionResult.FAILED: 1},
    }


def test_reports_awaiting_review_and_the_periods_satisfaction_are_reported(busy_march):
    build_march()

    data = march_report(busy_march).data
    assert data["reports"] == {"pending_review": 1}
    assert data["satisfaction"] == {"ratings": 2, "mean": 4.5}


def test_top_risks_are_the_open_ones_most_severe_first_and_at_most_five(busy_march):
    for number in range(TOP_RISKS):
        RiskFactory(community=busy_march, severity=Severity.MEDIUM, summary=f"Medium {number}")

    build_march()

    risks = march_report(busy_march).data["top_risks"]
    assert len(risks) == TOP_RISKS
    assert risks[0]["summary"] == "Single applicant."
    assert {risk["severity"] for risk in risks[1:]} == {Severity.MEDIUM}


def test_a_quiet_community_gets_a_report_of_zeros():
    quiet = CommunityFactory()

    build_march()

    data = march_report(quiet).data
    assert data["projects"]["total"] == 0
    assert data["complaints"]["mean_response_hours"] is None
    assert data["satisfaction"] == {"ratings": 0, "mean": None}
    assert data["top_risks"] == []


def test_another_communitys_figures_stay_out_of_the_report(busy_march):
    elsewhere = ProjectFactory()
    ComplaintFactory(project=elsewhere, filed_at=at(5))
    RiskFactory(community=elsewhere.community)

    build_march()

    assert march_report(busy_march).data["complaints"]["filed"] == 3
    assert march_report(elsewhere.community).data["complaints"]["filed"] == 1
    assert len(march_report(elsewhere.community).data["top_risks"]) == 1


# --- The period ----------------------------------------------------------------------------


def test_the_default_period_is_the_last_completed_week_or_month():
    wednesday = date(2025, 3, 12)
    assert supervision_period(period_kind=PeriodKind.WEEKLY, today=wednesday) == (date(2025, 3, 3), date(2025, 3, 9))
    assert supervision_period(period_kind=PeriodKind.MONTHLY, today=wednesday) == (date(2025, 2, 1), date(2025, 2, 28))
    assert supervision_period(period_kind=PeriodKind.MONTHLY, today=date(2025, 1, 1)) == (
        date(2024, 12, 1),
        date(2024, 12, 31),
    )


def test_a_period_not_starting_on_a_monday_or_the_first_is_refused_and_nothing_is_stored():
    CommunityFactory()

    with pytest.raises(ValidationError) as weekly:
        supervision_reports_build(period_kind=PeriodKind.WEEKLY, period_start=date(2025, 3, 4))
    with pytest.raises(ValidationError) as monthly:
        supervision_reports_build(period_kind=PeriodKind.MONTHLY, period_start=date(2025, 3, 2))

    assert "period_start" in weekly.value.message_dict and "period_start" in monthly.value.message_dict
    assert not SupervisionReport.objects.exists()


def test_an_unknown_period_kind_or_community_is_refused():
    with pytest.raises(ValidationError) as kind:
        supervision_reports_build(period_kind="daily")
    with pytest.raises(ValidationError) as community:
        build_march(community_id=999999)

    assert "period_kind" in kind.value.message_dict and "community_id" in community.value.message_dict
    assert not SupervisionReport.objects.exists()


# --- One report per community and period ---------------------------------------------------


def test_a_rerun_refreshes_the_report_rather_than_duplicating_it(busy_march, project, audit_of):
    assert build_march(community_id=busy_march.pk)["reports_created"] == 1
    first = march_report(busy_march)
    ComplaintFactory(project=project, filed_at=at(25))

    counts = build_march(community_id=busy_march.pk)

    assert (counts["reports_created"], counts["reports_refreshed"]) == (0, 1)
    assert SupervisionReport.objects.filter(community=busy_march).count() == 1
    refreshed = march_report(busy_march)
    assert refreshed.pk == first.pk and refreshed.data["complaints"]["filed"] == 4
    assert [entry.action for entry in audit_of(refreshed)] == [AuditAction.CREATE, AuditAction.CHANGE]


def test_weekly_and_monthly_reports_of_the_same_community_are_separate(busy_march):
    build_march()
    supervision_reports_build(period_kind=PeriodKind.WEEKLY, period_start=MARCH - timedelta(days=MARCH.weekday()))

    assert set(SupervisionReport.objects.filter(community=busy_march).values_list("period_kind", flat=True)) == {
        PeriodKind.WEEKLY,
        PeriodKind.MONTHLY,
    }


def test_only_the_given_community_is_reported_when_one_is_named(busy_march):
    other = CommunityFactory()

    build_march(community_id=busy_march.pk)

    assert list(SupervisionReport.objects.values_list("community", flat=True)) == [busy_march.pk]
    assert not SupervisionReport.objects.filter(community=other).exists()


def fill_communities(count: int) -> None:
    """`count` communities with an official and a project carrying a row of every kind."""
    for _ in range(count):
        project = ProjectFactory()
        OfficialPostFactory(community=project.community, user=UserFactory(email="o@example.org"))
        DutyCompletionFactory(duty=DutyFactory(project=project), due_on=date(2025, 3, 5))
        BreachFactory(project=project, detected_at=at(3), updated_at=at(3))
        answered(project, at(6), 5)
        InspectionFactory(project=project, inspected_on=date(2025, 3, 7))
        ServiceReportFactory(project=project)
        RatingFactory(project=project, period=MARCH)
        RiskFactory(community=project.community)


def queries_to_build() -> int:
    with CaptureQueriesContext(connection) as queries:
        build_march()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_communities():
    # N and 10N more; kept under one write batch (SQLite binds at most 999 values per statement).
    fill_communities(1)
    few = queries_to_build()
    SupervisionReport.objects.all().delete()
    fill_communities(10)
    many = queries_to_build()

    assert SupervisionReport.objects.count() == Community.objects.count() > 10
    assert few == many


# --- Downloads -----------------------------------------------------------------------------


def test_the_csv_lists_each_figure_by_section(busy_march):
    build_march()

    lines = supervision_report_csv(march_report(busy_march)).splitlines()

    assert lines[0] == "section,figure,value"
    assert "complaints,mean_response_hours,18.0" in lines
    assert "projects,by_stage.design,1" in lines
    assert "top_risks,1,high responsibility_ambiguity: Single applicant." in lines


def test_the_printable_page_shows_the_community_and_its_figures(busy_march):
    build_march()

    page = supervision_report_html(march_report(busy_march))

    assert busy_march.name in page and "Mean hours to answer" in page and "18.0" in page
    assert "mean_response_hours" not in page and "By stage: Operation" in page
    assert "@media print" in page and "http" not in page.lower().replace("http-equiv", "")


# --- Notification --------------------------------------------------------------------------


def test_a_new_report_is_mailed_once_to_the_communitys_officials_with_the_csv(busy_march):
    district = DistrictFactory()
    busy_march.street = StreetFactory(district=district)
    busy_march.save()
    OfficialPostFactory(community=None, district=district, user=UserFactory(email="district@example.org"))
    OfficialPostFactory(community=None, street=StreetFactory(), user=UserFactory(email="elsewhere@example.org"))
    OfficialPostFactory(community=busy_march, user=UserFactory(email=""))

    assert build_march()["emails_sent"] == 1
    assert build_march()["emails_sent"] == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["director@example.org", "district@example.org"]
    assert busy_march.name in message.subject and "Complaints filed: 3" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".csv") and mimetype == "text/csv" and content.startswith("section,figure,value")


def test_a_community_without_officials_with_an_address_gets_its_report_but_no_mail():
    CommunityFactory()

    counts = build_march()

    assert (counts["reports_created"], counts["emails_sent"]) == (1, 0)
    assert mail.outbox == []


# --- The task, the command, the schedule ---------------------------------------------------


def test_the_task_builds_the_reports_through_a_job_run(busy_march):
    result = build_supervision_reports_task.apply(
        kwargs={"period_kind": PeriodKind.WEEKLY, "community_id": busy_march.pk}
    ).get()

    run = JobRun.objects.get(pk=result["job_run"])
    assert (run.job, run.community_id, run.outcome) == (
        supervision_job_name("weekly"),
        busy_march.pk,
        JobOutcome.SUCCEEDED,
    )
    assert run.counts["reports_created"] == 1
    assert SupervisionReport.objects.filter(community=busy_march, period_kind=PeriodKind.WEEKLY).count() == 1


def test_the_command_builds_a_given_period_for_a_community_given_by_code(busy_march):
    out = StringIO()

    call_command(
        "build_supervision_reports",
        "--period",
        "monthly",
        "--start",
        "2025-03-01",
        "--community",
        busy_march.code,
        stdout=out,
    )

    assert "reports_created: 1" in out.getvalue()
    assert march_report(busy_march).data["complaints"]["filed"] == 3
    run = JobRun.objects.get(job=supervision_job_name("monthly"))
    assert (run.community_id, run.outcome) == (busy_march.pk, JobOutcome.SUCCEEDED)


def test_the_command_refuses_a_misaligned_start_and_an_unknown_community():
    with pytest.raises(CommandError, match="Monday"):
        call_command("build_supervision_reports", "--start", "2025-03-04", stdout=StringIO())
    with pytest.raises(CommandError, match="nowhere"):
        call_command("build_supervision_reports", "--community", "nowhere", stdout=StringIO())
    assert not SupervisionReport.objects.exists()


def test_the_weekly_and_monthly_schedules_are_installed_in_shanghai_time():
    tasks = {task.name: task for task in PeriodicTask.objects.filter(task=JOB_NAME).select_related("crontab")}

    weekly, monthly = tasks["Supervision reports (weekly)"], tasks["Supervision reports (monthly)"]
    assert (weekly.crontab.minute, weekly.crontab.hour, weekly.crontab.day_of_week) == ("0", "4", "1")
    assert (monthly.crontab.minute, monthly.crontab.hour, monthly.crontab.day_of_month) == ("30", "4", "1")
    assert {str(weekly.crontab.timezone), str(monthly.crontab.timezone)} == {"Asia/Shanghai"}
    assert weekly.kwargs == '{"period_kind": "weekly"}' and monthly.enabled
