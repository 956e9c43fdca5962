"""What the database never lets a project, its partners, calls or reports break."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduction.models import (
    ApplicationStatus,
    CallStatus,
    ParticipationRole,
    ProjectTransition,
    ReportStatus,
    Stage,
)
from tests.asserts import database_refuses
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ContributionFactory,
    CriterionFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectTransitionFactory,
    ReviewFactory,
    ReviewScoreFactory,
    ServiceReportFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- projects --------------------------------------------------------------------------------


def test_a_project_cannot_end_before_it_starts():
    with database_refuses():
        ProjectFactory(start_date=date(2025, 6, 1), end_date=date(2025, 5, 31))


def test_a_project_may_end_on_the_day_it_starts():
    project = ProjectFactory(start_date=date(2025, 6, 1), end_date=date(2025, 6, 1))

    assert project.pk


def test_a_project_budget_cannot_be_negative():
    with database_refuses():
        ProjectFactory(budget=Decimal("-0.01"))


def test_a_project_name_is_unique_within_its_community():
    project = ProjectFactory()

    with database_refuses():
        ProjectFactory(community=project.community, name=project.name)


def test_a_project_has_one_lead_at_most():
    lead = ParticipationFactory(role=ParticipationRole.LEAD)

    with database_refuses():
        ParticipationFactory(project=lead.project, role=ParticipationRole.LEAD)


def test_an_organisation_takes_each_role_in_a_project_once():
    participation = ParticipationFactory(role=ParticipationRole.PROVIDER)

    with database_refuses():
        ParticipationFactory(
            project=participation.project, organisation=participation.organisation, role=ParticipationRole.PROVIDER
        )


def test_an_organisation_may_take_several_roles_in_a_project():
    participation = ParticipationFactory(role=ParticipationRole.PROVIDER)

    also = ParticipationFactory(
        project=participation.project, organisation=participation.organisation, role=ParticipationRole.CO_FUNDER
    )

    assert participation.project.participations.filter(organisation=also.organisation).count() == 2


def test_a_participant_cannot_leave_before_joining():
    with database_refuses():
        ParticipationFactory(joined_on=date(2025, 3, 1), left_on=date(2025, 2, 28))


def test_a_contribution_cannot_be_worth_less_than_nothing():
    with database_refuses():
        ContributionFactory(value=Decimal("-1"))


def test_a_contribution_must_have_a_quantity():
    with database_refuses():
        ContributionFactory(quantity=Decimal("0"))


def test_a_contribution_through_another_project_s_participant_fails_validation():
    contribution = ContributionFactory.build(participation=ParticipationFactory(), project=ProjectFactory())

    with pytest.raises(ValidationError) as caught:
        contribution.full_clean()

    assert "participation" in caught.value.message_dict


def test_a_project_transition_must_change_the_stage():
    with database_refuses():
        ProjectTransitionFactory(from_stage=Stage.DESIGN, to_stage=Stage.DESIGN)


def test_a_project_transition_is_recorded_with_who_and_why():
    transition = ProjectTransitionFactory(from_stage=Stage.OPERATION, to_stage=Stage.EVALUATION)

    assert ProjectTransition.objects.get(pk=transition.pk).reason


# --- tasks -----------------------------------------------------------------------------------


def test_a_task_has_a_place_at_least():
    with database_refuses():
        TaskFactory(capacity=0)


def test_a_task_s_period_ends_after_it_starts():
    with database_refuses():
        TaskFactory(period_start=date(2025, 6, 1), period_end=date(2025, 5, 1))


def test_task_codes_are_unique_within_a_project():
    task = TaskFactory()

    with database_refuses():
        TaskFactory(project=task.project, code=task.code)


# --- selection -------------------------------------------------------------------------------


def award(call, **overrides):
    application = ApplicationFactory(call=call)
    fields = {
        "status": CallStatus.AWARDED,
        "awarded_application": application,
        "award_reason": "Highest score and kitchen licence in hand.",
        "awarded_by": UserFactory(),
        "awarded_at": timezone.now(),
    }
    fields.update(overrides)
    for name, value in fields.items():
        setattr(call, name, value)
    call.save()
    return call


def test_a_fully_recorded_award_is_accepted():
    call = award(CallFactory())

    call.refresh_from_db()
    assert call.status == CallStatus.AWARDED and call.awarded_application is not None


@pytest.mark.parametrize(
    "missing",
    [{"awarded_application": None}, {"award_reason": ""}, {"awarded_by": None}, {"awarded_at": None}],
    ids=lambda m: next(iter(m)),
)
def test_an_award_without_its_record_is_refused(missing):
    call = CallFactory()

    with database_refuses():
        award(call, **missing)


def test_a_call_needs_two_reviewers_at_least():
    with database_refuses():
        CallFactory(min_reviewers=1)


def test_an_organisation_applies_once_per_call():
    application = ApplicationFactory()

    with database_refuses():
        ApplicationFactory(call=application.call, organisation=application.organisation)


def test_an_organisation_may_apply_to_several_calls():
    application = ApplicationFactory()

    other = ApplicationFactory(organisation=application.organisation)

    assert other.status == ApplicationStatus.SUBMITTED


def test_a_proposed_budget_cannot_be_negative():
    with database_refuses():
        ApplicationFactory(proposed_budget=Decimal("-1"))


def test_a_reviewer_reviews_an_application_once():
    review = ReviewFactory()

    with database_refuses():
        ReviewFactory(application=review.application, reviewer=review.reviewer)


@pytest.mark.parametrize("total", [Decimal("-0.01"), Decimal("100.01")])
def test_a_review_total_lies_between_0_and_100(total):
    with database_refuses():
        ReviewFactory(total=total)


@pytest.mark.parametrize("score", [0, 100])
def test_a_criterion_score_may_be_0_or_100(score):
    assert ReviewScoreFactory(score=score).score == score


def test_a_criterion_score_above_100_is_refused():
    with database_refuses():
        ReviewScoreFactory(score=101)


def test_a_criterion_is_scored_once_per_review():
    score = ReviewScoreFactory()

    with database_refuses():
        ReviewScoreFactory(review=score.review, criterion=score.criterion)


@pytest.mark.parametrize("weight", [0, 101])
def test_a_criterion_weight_lies_between_1_and_100(weight):
    with database_refuses():
        CriterionFactory(weight=weight)


# --- service reports -------------------------------------------------------------------------


def test_a_provider_reports_once_per_project_and_period():
    report = ServiceReportFactory()

    with database_refuses():
        ServiceReportFactory(project=report.project, organisation=report.organisation, period_start=report.period_start)


def test_two_providers_report_the_same_period_separately():
    report = ServiceReportFactory()

    other = ServiceReportFactory(project=report.project, organisation=OrganisationFactory())

    assert other.period_start == report.period_start


@pytest.mark.parametrize("field", ["cost", "income", "subsidy"])
def test_report_money_cannot_be_negative(field):
    with database_refuses():
        ServiceReportFactory(**{field: Decimal("-1")})


def test_a_report_period_ends_after_it_starts():
    with database_refuses():
        ServiceReportFactory(period_start=date(2025, 3, 1), period_end=date(2025, 2, 28))


def test_a_reviewed_report_records_who_reviewed_it_and_when():
    with database_refuses():
        ServiceReportFactory(status=ReportStatus.ACCEPTED)


def test_a_returned_report_needs_a_comment():
    with database_refuses():
        ServiceReportFactory(status=ReportStatus.RETURNED, reviewed_by=UserFactory(), reviewed_at=timezone.now())


def test_a_returned_report_with_a_comment_is_accepted():
    report = ServiceReportFactory(
        status=ReportStatus.RETURNED,
        reviewed_by=UserFactory(),
        reviewed_at=timezone.now(),
        review_comment="The receipts for March are missing.",
    )

    assert report.balance == Decimal("-1000.00")
