"""A community's public record built from the factories, for the transparency tests and the browser test.

project = awarded_project(community, organisation_name="Green Hands NGO", reason="Best plan")
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from coproduction.models import CallStatus, ContributionKind, ParticipationRole, Stage
from evaluation.models import Grade
from tests import factories

AWARD_REASON = "Highest review score and a kitchen already fitted for the service."


def award(call, organisation, *, amount=Decimal("86000.00"), reason=AWARD_REASON):
    """Award `call` to `organisation`, as call_award() leaves it (rows only, no rules)."""
    application = factories.ApplicationFactory(call=call, organisation=organisation, proposed_budget=amount)
    call.status, call.awarded_application, call.award_reason = CallStatus.AWARDED, application, reason
    call.awarded_by, call.awarded_at = factories.UserFactory(), timezone.now()
    call.save()
    return call


def awarded_project(
    community,
    *,
    name="Elderly dining hall",
    organisation_name="Sunshine Elderly Care",
    reason=AWARD_REASON,
    amount=Decimal("86000.00"),
):
    """A project in operation, awarded through a call, with a lead partner, contributions of two
    kinds, two evaluations (the later one final) and three ratings."""
    project = factories.ProjectFactory(
        community=community, name=name, stage=Stage.OPERATION, budget=Decimal("120000.00")
    )
    organisation = factories.OrganisationFactory(name=organisation_name)
    participation = factories.ParticipationFactory(
        project=project, organisation=organisation, role=ParticipationRole.LEAD
    )
    call = factories.CallFactory(project=project, title=f"Call for {name}")
    factories.CriterionFactory(call=call, name="Experience", weight=60)
    factories.CriterionFactory(call=call, name="Price", weight=40)
    award(call, organisation, amount=amount, reason=reason)
    factories.ContributionFactory(participation=participation, kind=ContributionKind.MONEY, value=Decimal("30000.00"))
    factories.ContributionFactory(participation=participation, kind=ContributionKind.FACILITY, value=Decimal("5000.00"))
    factories.EvaluationFactory(
        project=project,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        total=Decimal("72.00"),
        grade=Grade.ADEQUATE,
    )
    factories.EvaluationFactory(
        project=project,
        period_start=date(2025, 7, 1),
        period_end=date(2025, 12, 31),
        total=Decimal("91.00"),
        grade=Grade.EXCELLENT,
        is_final=True,
    )
    for score in (5, 4, 4):
        factories.RatingFactory(project=project, score=score)
    return project
