"""recompute_accountability is idempotent: a second run with nothing changed adds and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from accountability.models import Breach, ComplaintStatus, DutyStatus, InspectionResult
from accountability.services.breach_detection import recompute_accountability
from audit.models import AuditEntry
from coproduction.models import Claim, ParticipationRole
from tests.factories import (
    ClaimFactory,
    ComplaintFactory,
    DutyCompletionFactory,
    DutyFactory,
    InspectionFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    TaskFactory,
)
from tests.properties.examples import DATABASE_EXAMPLES, rolled_back

pytestmark = pytest.mark.django_db

# (days until due, completed for that day, status)
duties = st.lists(
    st.tuples(st.integers(-120, 20), st.booleans(), st.sampled_from(DutyStatus.values)), min_size=1, max_size=5
)
# Deadlines half an hour off the hour, so that no severity threshold falls between the two runs.
complaints = st.lists(st.tuples(st.integers(-24 * 20, 24 * 5), st.sampled_from(ComplaintStatus.values)), max_size=4)


def _record(*, duty_rows, complaint_rows, silent_claims: int, failed_inspections: int) -> None:
    """One running project, its provider, and the generated duties, complaints, claims and inspections."""
    today, now = timezone.localdate(), timezone.now()
    project = ProjectFactory()
    provider = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    MembershipFactory(organisation=provider.organisation)  # someone answers its complaints
    for due_in_days, completed, status in duty_rows:
        duty = DutyFactory(
            project=project, accountable=provider, status=status, next_due_on=today + timedelta(days=due_in_days)
        )
        if completed:
            DutyCompletionFactory(duty=duty)
    for due_in_hours, status in complaint_rows:
        due = now + timedelta(hours=due_in_hours, minutes=30)
        answered = status not in (ComplaintStatus.OPEN, ComplaintStatus.REOPENED, ComplaintStatus.CLOSED)
        closed = status == ComplaintStatus.CLOSED
        ComplaintFactory(
            project=project,
            routed_to=provider.organisation,
            status=status,
            filed_at=min(due, now) - timedelta(days=3),
            response_due_at=due,
            response="We have fixed it." if answered else "",
            responded_at=now if answered else None,
            closing_note="Settled in person." if closed else "",
            closed_at=now if closed else None,
        )
    task = TaskFactory(project=project, capacity=max(silent_claims, 1), period_start=today - timedelta(days=90))
    for _ in range(silent_claims):  # claimed 60 days ago and never checked in
        claim = ClaimFactory(task=task)
        Claim.objects.filter(pk=claim.pk).update(claimed_at=now - timedelta(days=60))
    for _ in range(failed_inspections):
        InspectionFactory(project=project, organisation=provider.organisation, result=InspectionResult.FAILED)


def _everything_recompute_writes() -> tuple:
    return (
        list(Breach.objects.order_by("pk").values()),
        list(Claim.objects.order_by("pk").values("pk", "status", "ended_at")),
        AuditEntry.objects.count(),
    )


@DATABASE_EXAMPLES
@given(
    duty_rows=duties, complaint_rows=complaints, silent_claims=st.integers(0, 2), failed_inspections=st.integers(0, 1)
)
def test_a_second_run_with_nothing_changed_adds_nothing(duty_rows, complaint_rows, silent_claims, failed_inspections):
    with rolled_back():
        _record(
            duty_rows=duty_rows,
            complaint_rows=complaint_rows,
            silent_claims=silent_claims,
            failed_inspections=failed_inspections,
        )
        recompute_accountability()
        after_first = _everything_recompute_writes()
        event(f"breach kinds opened: {sorted({row['kind'] for row in after_first[0]})}")

        second = recompute_accountability()

        assert _everything_recompute_writes() == after_first
        assert not any(second.values()), second
