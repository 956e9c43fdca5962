"""Accountability: one accountable party per duty, evidenced completions, answered complaints,
breaches naming their source once, open risks once, supervision reports once per period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.models import (
    Breach,
    BreachKind,
    BreachStatus,
    ComplaintStatus,
    Duty,
    DutyAssignment,
    InspectionResult,
    PeriodKind,
    RaciRole,
    RiskKind,
    RiskStatus,
)
from coproduction.models import ClaimStatus
from tests.asserts import database_refuses
from tests.factories import (
    BreachFactory,
    ClaimFactory,
    ComplaintFactory,
    DutyAssignmentFactory,
    DutyCompletionFactory,
    DutyFactory,
    InspectionFactory,
    ParticipationFactory,
    ProjectFactory,
    RiskFactory,
    SupervisionReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- duties ----------------------------------------------------------------------------------


def test_a_duty_without_an_accountable_party_is_refused():
    project = ProjectFactory()

    with database_refuses():
        Duty.objects.create(project=project, title="Clean the kitchen", next_due_on=timezone.localdate())


def test_a_duty_names_its_one_accountable_party():
    duty = DutyFactory()

    assert duty.accountable.project == duty.project
    assert list(duty.accountable.accountable_duties.all()) == [duty]


def test_a_second_accountable_party_cannot_be_assigned():
    duty = DutyFactory()
    other = ParticipationFactory(project=duty.project)

    with database_refuses():
        DutyAssignment.objects.create(duty=duty, participation=other, role=RaciRole.ACCOUNTABLE)


@pytest.mark.parametrize("role", [RaciRole.RESPONSIBLE, RaciRole.CONSULTED, RaciRole.INFORMED])
def test_responsible_consulted_and_informed_parties_are_assigned(role):
    assignment = DutyAssignmentFactory(role=role)

    assert assignment.duty.assignments.get().role == role


def test_a_party_holds_each_role_in_a_duty_once():
    assignment = DutyAssignmentFactory(role=RaciRole.RESPONSIBLE)

    with database_refuses():
        DutyAssignmentFactory(duty=assignment.duty, participation=assignment.participation, role=RaciRole.RESPONSIBLE)


def test_duty_titles_are_unique_within_a_project():
    duty = DutyFactory()

    with database_refuses():
        DutyFactory(project=duty.project, title=duty.title)


def test_an_occurrence_of_a_duty_is_completed_once():
    completion = DutyCompletionFactory()

    with database_refuses():
        DutyCompletionFactory(duty=completion.duty, due_on=completion.due_on)


def test_the_next_occurrence_of_a_duty_is_completed_separately():
    completion = DutyCompletionFactory()

    later = DutyCompletionFactory(duty=completion.duty, due_on=completion.due_on + timedelta(days=7))

    assert completion.duty.completions.count() == 2 and later.pk


def test_a_completion_needs_evidence():
    with database_refuses():
        DutyCompletionFactory(evidence="")


# --- complaints ------------------------------------------------------------------------------


def test_a_complaint_deadline_comes_after_its_filing():
    filed = timezone.now()

    with database_refuses():
        ComplaintFactory(filed_at=filed, response_due_at=filed)


def test_an_answered_complaint_needs_a_response():
    with database_refuses():
        ComplaintFactory(status=ComplaintStatus.ANSWERED, response="", responded_at=timezone.now())


def test_an_answered_complaint_needs_the_time_of_the_response():
    with database_refuses():
        ComplaintFactory(status=ComplaintStatus.ANSWERED, response="Meals are now kept warm.", responded_at=None)


@pytest.mark.parametrize("status", [ComplaintStatus.ANSWERED, ComplaintStatus.CONFIRMED])
def test_a_complaint_with_its_answer_recorded_is_accepted(status):
    complaint = ComplaintFactory(status=status, response="Meals are now kept warm.", responded_at=timezone.now())

    assert complaint.status == status


def test_a_reopened_complaint_awaits_a_new_answer():
    complaint = ComplaintFactory(status=ComplaintStatus.REOPENED)

    assert complaint.response == ""


# --- breaches --------------------------------------------------------------------------------


def now():
    return timezone.now()


def overdue_duty_breach(**fields):
    return BreachFactory(**fields)


def missed_report_breach(**fields):
    fields.setdefault("project", ProjectFactory())
    return BreachFactory(kind=BreachKind.MISSED_REPORT, duty=None, **fields)


def unanswered_complaint_breach(**fields):
    complaint = fields.pop("complaint", None) or ComplaintFactory()
    return BreachFactory(
        kind=BreachKind.UNANSWERED_COMPLAINT,
        project=complaint.project,
        duty=None,
        due_on=None,
        complaint=complaint,
        organisation=complaint.routed_to,
        **fields,
    )


def lapsed_claim_breach(**fields):
    claim = fields.pop("claim", None) or ClaimFactory(status=ClaimStatus.LAPSED)
    return BreachFactory(
        kind=BreachKind.LAPSED_CLAIM, project=claim.task.project, duty=None, due_on=None, claim=claim, **fields
    )


def failed_inspection_breach(**fields):
    inspection = fields.pop("inspection", None) or InspectionFactory(result=InspectionResult.FAILED)
    return BreachFactory(
        kind=BreachKind.FAILED_INSPECTION,
        project=inspection.project,
        duty=None,
        due_on=None,
        inspection=inspection,
        organisation=inspection.organisation,
        **fields,
    )


@pytest.mark.parametrize(
    "kind, source",
    [
        (BreachKind.OVERDUE_DUTY, {"duty": None}),
        (BreachKind.OVERDUE_DUTY, {"due_on": None}),
        (BreachKind.MISSED_REPORT, {"duty": None, "due_on": None}),
        (BreachKind.UNANSWERED_COMPLAINT, {"duty": None, "due_on": None}),
        (BreachKind.LAPSED_CLAIM, {"duty": None, "due_on": None}),
        (BreachKind.FAILED_INSPECTION, {"duty": None, "due_on": None}),
    ],
    ids=[
        "overdue_duty-no-duty",
        "overdue_duty-no-date",
        "missed_report",
        "unanswered_complaint",
        "lapsed_claim",
        "failed_inspection",
    ],
)
def test_a_breach_must_name_the_source_its_kind_needs(kind, source):
    project = ProjectFactory()
    fields = {"duty": DutyFactory(project=project), "due_on": timezone.localdate()} | source

    with database_refuses():
        Breach.objects.create(
            kind=kind,
            project=project,
            organisation=ParticipationFactory(project=project).organisation,
            detected_at=now(),
            updated_at=now(),
            **fields,
        )


def test_a_breach_of_one_kind_does_not_count_as_another_s_source():
    duty = DutyFactory()

    with database_refuses():
        BreachFactory(kind=BreachKind.UNANSWERED_COMPLAINT, project=duty.project, duty=duty)


BREACHES_BY_KIND = {
    BreachKind.OVERDUE_DUTY: (
        overdue_duty_breach,
        lambda b: {"project": b.project, "duty": b.duty, "due_on": b.due_on},
    ),
    BreachKind.MISSED_REPORT: (
        missed_report_breach,
        lambda b: {"project": b.project, "organisation": b.organisation, "due_on": b.due_on},
    ),
    BreachKind.UNANSWERED_COMPLAINT: (unanswered_complaint_breach, lambda b: {"complaint": b.complaint}),
    BreachKind.LAPSED_CLAIM: (lapsed_claim_breach, lambda b: {"claim": b.claim}),
    BreachKind.FAILED_INSPECTION: (failed_inspection_breach, lambda b: {"inspection": b.inspection}),
}


@pytest.mark.parametrize("kind", list(BREACHES_BY_KIND))
def test_the_same_miss_is_recorded_as_a_breach_once(kind):
    make, same_source = BREACHES_BY_KIND[kind]
    first = make()

    with database_refuses():
        make(**same_source(first))

    assert Breach.objects.filter(kind=kind).count() == 1


@pytest.mark.parametrize("kind", list(BREACHES_BY_KIND))
def test_different_misses_of_a_kind_are_separate_breaches(kind):
    make, _ = BREACHES_BY_KIND[kind]

    make(), make()

    assert Breach.objects.filter(kind=kind).count() == 2


def test_a_duty_missed_on_two_occurrences_is_two_breaches():
    first = overdue_duty_breach()

    second = overdue_duty_breach(project=first.project, duty=first.duty, due_on=first.due_on + timedelta(days=7))

    assert first.duty.breaches.count() == 2 and second.pk


def test_a_report_missed_in_two_periods_is_two_breaches():
    first = missed_report_breach()
    next_month = first.due_on + timedelta(days=31)

    missed_report_breach(project=first.project, organisation=first.organisation, due_on=next_month)

    assert Breach.objects.filter(kind=BreachKind.MISSED_REPORT, project=first.project).count() == 2


def test_a_resolved_breach_records_when_and_by_whom():
    breach = BreachFactory(
        status=BreachStatus.RESOLVED,
        resolved_at=now(),
        resolved_by=UserFactory(),
        resolution="The kitchen was cleaned the next day.",
    )

    assert breach.status == BreachStatus.RESOLVED


@pytest.mark.parametrize("missing", ["resolved_at", "resolved_by"])
def test_a_resolution_without_its_record_is_refused(missing):
    fields = {"resolved_at": now(), "resolved_by": UserFactory()} | {missing: None}

    with database_refuses():
        BreachFactory(status=BreachStatus.RESOLVED, **fields)


def test_an_open_breach_has_no_resolution_date():
    with database_refuses():
        BreachFactory(status=BreachStatus.OPEN, resolved_at=now())


# --- risks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RiskStatus.OPEN, RiskStatus.ACKNOWLEDGED])
def test_a_subject_has_one_unclosed_risk_of_a_kind(status):
    risk = RiskFactory(status=status)

    with database_refuses():
        RiskFactory(kind=risk.kind, subject_key=risk.subject_key)


def test_a_closed_risk_may_be_raised_again():
    closed = RiskFactory(status=RiskStatus.CLOSED, closed_at=now())

    RiskFactory(kind=closed.kind, subject_key=closed.subject_key, status=RiskStatus.CLOSED, closed_at=now())
    reopened = RiskFactory(kind=closed.kind, subject_key=closed.subject_key)

    assert reopened.status == RiskStatus.OPEN


def test_a_subject_may_carry_risks_of_different_kinds():
    risk = RiskFactory()

    other = RiskFactory(subject_key=risk.subject_key, kind=RiskKind.FREE_RIDING)

    assert other.kind != risk.kind


# --- supervision reports ---------------------------------------------------------------------


def test_a_community_has_one_supervision_report_per_period():
    report = SupervisionReportFactory()

    with database_refuses():
        SupervisionReportFactory(
            community=report.community, period_kind=report.period_kind, period_start=report.period_start
        )


def test_the_weekly_and_monthly_reports_of_a_period_are_separate():
    report = SupervisionReportFactory(period_kind=PeriodKind.MONTHLY)

    weekly = SupervisionReportFactory(
        community=report.community,
        period_kind=PeriodKind.WEEKLY,
        period_start=report.period_start,
        period_end=report.period_start + timedelta(days=6),
    )

    assert weekly.pk != report.pk


def test_a_supervision_report_period_ends_after_it_starts():
    report = SupervisionReportFactory.build()

    with database_refuses():
        SupervisionReportFactory(period_start=report.period_end, period_end=report.period_start)
