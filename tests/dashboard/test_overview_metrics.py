"""The dashboard's figures (dashboard.metrics): each over one community or many, in bounded queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import BreachStatus, ComplaintStatus, DutyStatus, RiskStatus, Severity
from coproduction.models import GovernanceLevel, Mode, ReportStatus, Stage, TaskStatus
from dashboard import metrics
from evaluation.models import Grade
from jobs.models import JobOutcome
from partners.models import Community
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)


@pytest.fixture
def community():
    return factories.CommunityFactory()


@pytest.fixture
def elsewhere():
    """A project of another community, whose figures must never count."""
    return factories.ProjectFactory()


def only(community):
    return Community.objects.filter(pk=community.pk)


def classified(community, *, authority, share, **fields):
    project = factories.ProjectFactory(
        community=community, governance_authority=authority, government_share=share, **fields
    )
    project.refresh_from_db()  # the mode is a generated column
    return project


def test_projects_are_counted_by_stage_with_every_stage_listed(community, elsewhere):
    factories.ProjectFactory.create_batch(2, community=community, stage=Stage.OPERATION)
    factories.ProjectFactory(community=community, stage=Stage.DESIGN)

    stages = metrics.projects_by_stage(only(community))

    assert [(row["stage"], row["count"]) for row in stages] == [
        ("design", 1),
        ("operation", 2),
        ("evaluation", 0),
        ("closed", 0),
    ]


def test_the_quadrant_places_each_classified_project_by_authority_and_government_share(community, elsewhere):
    absorbed = classified(community, authority=GovernanceLevel.HIGH, share=Decimal("0.8"), name="Dining hall")
    complementary = classified(community, authority=GovernanceLevel.LOW, share=Decimal("0.2"), name="Green plots")

    quadrant = metrics.mode_quadrant(only(community))

    placed = {point["name"]: point for point in quadrant["placed"]}
    assert set(placed) == {"Dining hall", "Green plots"}
    assert placed["Dining hall"]["mode"] == Mode.ADMINISTRATIVE_ABSORPTION == absorbed.mode
    assert placed["Dining hall"]["x"] == 0.8 and placed["Dining hall"]["y"] > 0.5
    assert placed["Green plots"]["mode"] == complementary.mode == Mode.COMPLEMENTARY_ADVANTAGE
    assert placed["Green plots"]["x"] == 0.2 and placed["Green plots"]["y"] < 0.5
    assert quadrant["counts"][Mode.ADMINISTRATIVE_ABSORPTION] == 1 and quadrant["total"] == 2


def test_projects_without_authority_or_contributions_are_listed_as_unplaced_with_what_is_missing(community):
    factories.ProjectFactory(community=community, name="New hall")
    classified(community, authority=GovernanceLevel.HIGH, share=None, name="No money yet")

    quadrant = metrics.mode_quadrant(only(community))

    assert quadrant["placed"] == []
    assert {(p["name"], tuple(p["missing"])) for p in quadrant["unplaced"]} == {
        ("New hall", ("authority", "share")),
        ("No money yet", ("share",)),
    }


def test_closed_projects_are_left_off_the_quadrant(community):
    classified(community, authority=GovernanceLevel.LOW, share=Decimal("0.7"), stage=Stage.CLOSED)
    assert metrics.mode_quadrant(only(community))["total"] == 0


def test_overdue_duties_are_the_active_ones_past_due_longest_overdue_first_with_days(community, elsewhere):
    project = factories.ProjectFactory(community=community)
    late = factories.DutyFactory(project=project, next_due_on=TODAY - timedelta(days=3))
    later = factories.DutyFactory(project=project, next_due_on=TODAY - timedelta(days=10))
    factories.DutyFactory(project=project, next_due_on=TODAY + timedelta(days=1))
    factories.DutyFactory(project=project, next_due_on=TODAY - timedelta(days=5), status=DutyStatus.DONE)
    factories.DutyFactory(project=elsewhere, next_due_on=TODAY - timedelta(days=5))

    duties = metrics.overdue_duties(only(community), today=TODAY)

    assert duties["count"] == 2
    assert [(row["id"], row["days_overdue"]) for row in duties["rows"]] == [(later.pk, 10), (late.pk, 3)]


def test_the_lists_stop_at_their_limit_but_the_count_is_complete(community):
    project = factories.ProjectFactory(community=community)
    factories.DutyFactory.create_batch(4, project=project, next_due_on=TODAY - timedelta(days=1))

    duties = metrics.overdue_duties(only(community), today=TODAY, limit=3)

    assert duties["count"] == 4 and len(duties["rows"]) == 3


def test_open_breaches_are_listed_oldest_first_with_their_age_and_the_high_ones_counted(community, elsewhere):
    project = factories.ProjectFactory(community=community)
    now = timezone.now()
    old = factories.BreachFactory(project=project, detected_at=now - timedelta(days=9), severity=Severity.HIGH)
    new = factories.BreachFactory(project=project, detected_at=now - timedelta(days=1))
    factories.BreachFactory(
        project=project, status=BreachStatus.RESOLVED, resolved_at=now, resolved_by=factories.UserFactory()
    )
    factories.BreachFactory(project=elsewhere)

    breaches = metrics.open_breaches(only(community), today=timezone.localdate())

    assert (breaches["count"], breaches["high"]) == (2, 1)
    assert [(row["id"], row["age_days"]) for row in breaches["rows"]] == [(old.pk, 9), (new.pk, 1)]
    assert breaches["rows"][0]["kind_label"] == "Overdue duty"


def test_open_complaints_count_those_past_their_deadline(community):
    project = factories.ProjectFactory(community=community)
    now = timezone.now()
    late = factories.ComplaintFactory(project=project, filed_at=now - timedelta(days=5))
    factories.ComplaintFactory(project=project, filed_at=now - timedelta(days=1))
    factories.ComplaintFactory(project=project, status=ComplaintStatus.ANSWERED, response="Fixed.", responded_at=now)

    complaints = metrics.open_complaints(only(community), now=now)

    assert (complaints["count"], complaints["overdue"]) == (2, 1)
    assert complaints["rows"][0]["id"] == late.pk and complaints["rows"][0]["overdue"]
    assert complaints["rows"][0]["age_days"] == 5


def test_reports_waiting_for_review_are_the_submitted_ones_longest_waiting_first(community):
    project = factories.ProjectFactory(community=community)
    now = timezone.now()
    first = factories.ServiceReportFactory(project=project, submitted_at=now - timedelta(days=4))
    factories.ServiceReportFactory(project=project, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30))
    factories.ServiceReportFactory(
        project=project,
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
        status=ReportStatus.ACCEPTED,
        reviewed_by=factories.UserFactory(),
        reviewed_at=now,
    )

    reports = metrics.reports_awaiting_review(only(community), today=timezone.localdate())

    assert reports["count"] == 2
    assert reports["rows"][0]["id"] == first.pk and reports["rows"][0]["waiting_days"] == 4


def test_the_satisfaction_trend_has_twelve_months_with_the_mean_of_each(community, elsewhere):
    project = factories.ProjectFactory(community=community)
    factories.RatingFactory(project=project, period=date(2025, 3, 1), score=4)
    factories.RatingFactory(project=project, period=date(2025, 3, 1), score=5)
    factories.RatingFactory(project=project, period=date(2025, 6, 1), score=2)
    factories.RatingFactory(project=project, period=date(2024, 6, 1), score=1)  # thirteen months back
    factories.RatingFactory(project=elsewhere, period=date(2025, 3, 1), score=1)

    trend = metrics.satisfaction_trend(only(community), today=TODAY)

    assert len(trend) == 12 and trend[0]["month"] == date(2024, 7, 1) and trend[-1]["month"] == date(2025, 6, 1)
    by_month = {row["month"]: (row["mean"], row["ratings"]) for row in trend}
    assert by_month[date(2025, 3, 1)] == (4.5, 2)
    assert by_month[date(2025, 6, 1)] == (2.0, 1)
    assert by_month[date(2025, 4, 1)] == (None, 0)


def test_the_grade_trend_counts_grades_per_evaluation_period(community):
    first, second = factories.ProjectFactory.create_batch(2, community=community)
    factories.EvaluationFactory(project=first, period_start=date(2025, 1, 1), grade=Grade.GOOD, total=Decimal("80"))
    factories.EvaluationFactory(project=second, period_start=date(2025, 1, 1), grade=Grade.POOR, total=Decimal("50"))
    factories.EvaluationFactory(
        project=first, period_start=date(2024, 7, 1), grade=Grade.EXCELLENT, total=Decimal("95")
    )

    trend = metrics.grade_trend(only(community), today=TODAY)

    assert [row["period_start"] for row in trend] == [date(2024, 7, 1), date(2025, 1, 1)]
    assert trend[1]["grades"] == {"A": 0, "B": 1, "C": 0, "D": 1}
    assert trend[1]["mean_total"] == 65.0


def test_top_risks_are_the_most_severe_not_closed_oldest_first_within_a_severity(community):
    now = timezone.now()
    newer_high = factories.RiskFactory(community=community, severity=Severity.HIGH, raised_at=now - timedelta(days=1))
    older_high = factories.RiskFactory(community=community, severity=Severity.HIGH, raised_at=now - timedelta(days=8))
    low = factories.RiskFactory(community=community, severity=Severity.LOW, raised_at=now - timedelta(days=30))
    factories.RiskFactory(community=community, severity=Severity.HIGH, status=RiskStatus.CLOSED, closed_at=now)

    risks = metrics.top_risks(only(community), today=timezone.localdate())

    assert [risk["id"] for risk in risks] == [older_high.pk, newer_high.pk, low.pk]
    assert risks[0]["age_days"] == 8 and risks[0]["severity_label"] == "High"


def test_claimed_share_is_places_claimed_on_open_tasks_over_their_capacity(community):
    project = factories.ProjectFactory(community=community)
    claimed = factories.TaskFactory(project=project, capacity=2)
    factories.ClaimFactory(task=claimed)
    factories.TaskFactory(project=project, capacity=2)
    factories.TaskFactory(project=project, capacity=5, status=TaskStatus.CLOSED)

    claims = metrics.task_claims(only(community))

    assert (claims["claimed"], claims["capacity"], claims["share"]) == (1, 4, 0.25)
    assert claims["communities"] == [{"name": community.name, "claimed": 1, "capacity": 4, "share": 0.25}]


def test_without_open_tasks_the_claimed_share_is_unknown(community):
    assert metrics.task_claims(only(community))["share"] is None


def test_the_latest_run_of_each_job_is_shown_and_a_failed_latest_run_flags_the_job(community):
    now = timezone.now()
    factories.JobRunFactory(
        job="accountability.detect_risks", started_at=now - timedelta(days=1), outcome=JobOutcome.FAILED, error="boom"
    )
    factories.JobRunFactory(job="accountability.detect_risks", started_at=now)
    factories.JobRunFactory(
        job="evaluation.recompute_trust_scores",
        community=community,
        started_at=now,
        outcome=JobOutcome.FAILED,
        error="database locked",
    )
    factories.JobRunFactory(
        job="evaluation.recompute_trust_scores",
        community=factories.CommunityFactory(),
        started_at=now,
        outcome=JobOutcome.FAILED,
    )

    jobs = {job["job"]: job for job in metrics.latest_job_runs(only(community))}

    assert jobs["accountability.detect_risks"]["outcome"] == JobOutcome.SUCCEEDED
    assert not jobs["accountability.detect_risks"]["failed"]
    assert jobs["evaluation.recompute_trust_scores"]["failed"]
    assert jobs["evaluation.recompute_trust_scores"]["failed_scopes"] == 1  # the other community's run is not ours
    assert jobs["evaluation.recompute_trust_scores"]["community"] == community.name


def test_figures_over_a_street_add_up_its_communities():
    street = factories.StreetFactory()
    first, second = factories.CommunityFactory.create_batch(2, street=street)
    factories.ProjectFactory(community=first, stage=Stage.DESIGN)
    factories.ProjectFactory(community=second, stage=Stage.DESIGN)
    factories.ProjectFactory(stage=Stage.DESIGN)

    stages = metrics.projects_by_stage(Community.objects.filter(street=street))

    assert stages[0] == {"stage": "design", "label": "Design", "count": 2}


def test_the_whole_overview_makes_as_many_queries_for_ten_times_the_data():
    def build(size):
        community = factories.CommunityFactory()
        for number in range(size):
            project = classified(community, authority=GovernanceLevel.LOW, share=Decimal("0.6"))
            factories.DutyFactory(project=project, next_due_on=TODAY - timedelta(days=number + 1))
            factories.RatingFactory(project=project)
            factories.RiskFactory(community=community)
        return only(community)

    small, large = build(2), build(20)
    counts = []
    for communities in (small, large):
        with CaptureQueriesContext(connection) as queries:
            metrics.overview(communities, now=timezone.now())
        counts.append(len(queries))
    assert counts[0] == counts[1]
