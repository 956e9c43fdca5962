"""Claims made at the same moment from many requests never overfill a task nor double a resident's claim.

Real threads, each with its own database connection, against committed data: on PostgreSQL the
task's row lock orders the claims; on SQLite the write lock taken at the start of each
transaction does. The rule has to hold on both.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from common.actors import TRUSTED
from coproduction.models import Claim, ClaimStatus
from coproduction.services.claims import TaskFull, claim_create
from tests.factories import ResidentFactory, TaskFactory

THREADS = 24


def claim_all_at_once(task, residents) -> list:
    """Each resident claims the task in a thread of their own, all released together.

    Returns what each thread got: its Claim, or the exception that refused it.
    """
    start = threading.Barrier(len(residents))
    outcomes = [None] * len(residents)

    def claim(index, resident):
        try:
            start.wait()
            outcomes[index] = claim_create(task=task, resident=resident, user=TRUSTED)
        except Exception as refusal:  # every outcome is inspected by the test
            outcomes[index] = refusal
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(index, resident)) for index, resident in enumerate(residents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_of_many_residents_claiming_the_last_place_at_once_exactly_one_gets_it():
    task = TaskFactory(capacity=1)
    residents = ResidentFactory.create_batch(THREADS, community=task.project.community)

    outcomes = claim_all_at_once(task, residents)

    claims = [outcome for outcome in outcomes if isinstance(outcome, Claim)]
    refusals = [outcome for outcome in outcomes if not isinstance(outcome, Claim)]
    assert len(claims) == 1
    assert len(refusals) == THREADS - 1 and all(isinstance(refusal, TaskFull) for refusal in refusals)
    task.refresh_from_db()
    assert task.active_claims == 1
    assert list(Claim.objects.filter(task=task, status=ClaimStatus.ACTIVE)) == claims


@pytest.mark.django_db(transaction=True)
def test_a_resident_claiming_the_same_task_twice_at_once_holds_one_claim():
    task = TaskFactory(capacity=5)
    resident = ResidentFactory(community=task.project.community)

    outcomes = claim_all_at_once(task, [resident] * 2)

    claims = [outcome for outcome in outcomes if isinstance(outcome, Claim)]
    refusals = [outcome for outcome in outcomes if not isinstance(outcome, Claim)]
    assert len(claims) == 1
    assert len(refusals) == 1 and isinstance(refusals[0], ValidationError) and refusals[0].code == "already_claimed"
    task.refresh_from_db()
    assert task.active_claims == 1
    assert Claim.objects.filter(task=task, resident=resident, status=ClaimStatus.ACTIVE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_requests_by_one_resident_at_once_still_make_one_claim():
    task = TaskFactory(capacity=5)
    resident = ResidentFactory(community=task.project.community)

    outcomes = claim_all_at_once(task, [resident] * THREADS)

    assert sum(isinstance(outcome, Claim) for outcome in outcomes) == 1
    assert all(
        isinstance(outcome, Claim) or getattr(outcome, "code", None) == "already_claimed" for outcome in outcomes
    )
    task.refresh_from_db()
    assert task.active_claims == 1
    assert Claim.objects.filter(task=task, resident=resident).count() == 1
