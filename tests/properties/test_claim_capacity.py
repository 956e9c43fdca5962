"""A task never holds more active claims than places, whatever residents claim, release and lapse, in any order."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from common.actors import TRUSTED
from coproduction.models import Claim, ClaimStatus, Task
from coproduction.services.claims import claim_create, claim_lapse, claim_release, claims_lapse_overdue
from tests.factories import ProjectFactory, ResidentFactory, TaskFactory
from tests.properties.examples import DATABASE_EXAMPLES

RESIDENTS = 4  # of the project's community; one more lives elsewhere


class ClaimsOnTasks(RuleBasedStateMachine):
    """The real claim services against a model: which (task, resident) pairs hold an active claim."""

    claims = Bundle("claims")

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.project = ProjectFactory()
        self.residents = [*ResidentFactory.create_batch(RESIDENTS, community=self.project.community), ResidentFactory()]
        self.tasks: list[Task] = []
        self.active: dict[int, tuple[int, int]] = {}  # claim pk -> (task pk, resident pk)

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    @initialize(capacities=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3))
    def tasks_with_places(self, capacities):
        self.tasks = [TaskFactory(project=self.project, capacity=capacity) for capacity in capacities]

    def _expected_refusal(self, task: Task, resident) -> str | None:
        if resident.community_id != self.project.community_id:
            return "other_community"
        if (task.pk, resident.pk) in self.active.values():
            return "already_claimed"
        if sum(1 for task_pk, _ in self.active.values() if task_pk == task.pk) >= task.capacity:
            return "task_full"
        return None

    @rule(target=claims, task_index=st.integers(0, 2), resident_index=st.integers(0, RESIDENTS))
    def claim(self, task_index, resident_index):
        task, resident = self.tasks[task_index % len(self.tasks)], self.residents[resident_index]
        expected = self._expected_refusal(task, resident)
        try:
            claim = claim_create(task=task, resident=resident, user=TRUSTED)
        except ValidationError as refusal:
            assert refusal.code == expected, (refusal.code, expected)
            return multiple()
        assert expected is None, f"claim_create accepted a claim that should be refused: {expected}"
        self.active[claim.pk] = (task.pk, resident.pk)
        return claim

    def _end(self, service, claim: Claim):
        was_active = claim.pk in self.active
        try:
            service(claim=claim, user=TRUSTED)
        except ValidationError as refusal:
            assert not was_active and refusal.code == "claim_not_active"
            return
        assert was_active, "an ended claim was ended again"
        del self.active[claim.pk]

    @rule(claim=claims)
    def release(self, claim):
        self._end(claim_release, claim)

    @rule(claim=claims)
    def lapse(self, claim):
        self._end(claim_lapse, claim)

    @rule()
    def the_lapse_job_runs_long_after_the_last_check_in(self):
        lapsed = claims_lapse_overdue(today=timezone.localdate() + timedelta(days=400))
        assert lapsed == len(self.active)
        self.active.clear()

    @invariant()
    def no_task_holds_more_active_claims_than_places(self):
        tasks = Task.objects.filter(project=self.project).annotate(
            holding=Count("claims", filter=Q(claims__status=ClaimStatus.ACTIVE))
        )
        for task in tasks:
            assert task.holding <= task.capacity
            assert task.active_claims == task.holding, "the task's place count is out of step with its claims"
        active = Claim.objects.filter(task__project=self.project, status=ClaimStatus.ACTIVE)
        assert dict(active.values_list("pk", "task_id")) == {pk: task for pk, (task, _) in self.active.items()}


@pytest.mark.django_db
def test_a_task_never_holds_more_active_claims_than_places():
    run_state_machine_as_test(
        ClaimsOnTasks, settings=settings(DATABASE_EXAMPLES, max_examples=20, stateful_step_count=15)
    )
