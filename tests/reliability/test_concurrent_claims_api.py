"""Fifty residents claiming the last place of a task at the same moment, over HTTP, on PostgreSQL.

A live server answers each request on a thread and database connection of its own, so the
claims really race in the database: the task's row lock must let exactly one through.
"""

import factory
import pytest

from coproduction.models import Claim, ClaimStatus, Task
from tests.factories import ResidentFactory, TaskFactory, UserFactory
from tests.reliability.fixtures import all_at_once, http, on_postgresql, token_for

pytestmark = [pytest.mark.usefixtures("on_postgresql"), pytest.mark.django_db(transaction=True)]

RESIDENTS = 50
TASK_FULL = {"message": "Every place on this task is taken.", "code": "task_full", "errors": {}}


def test_of_fifty_claims_on_the_one_place_one_is_created_and_forty_nine_are_clear_409s(live_server):
    task = TaskFactory(capacity=1)
    community = task.project.community
    residents = ResidentFactory.create_batch(RESIDENTS, community=community, user=factory.SubFactory(UserFactory))
    url = f"{live_server.url}/api/v1/tasks/{task.pk}/claim/"
    tokens = [token_for(resident.user) for resident in residents]

    outcomes = all_at_once([lambda token=token: http("POST", url, token=token) for token in tokens])

    statuses = sorted(status for status, _body in outcomes)
    assert statuses == [201] + [409] * (RESIDENTS - 1), outcomes
    assert all(body == TASK_FULL for status, body in outcomes if status == 409)
    created = next(body for status, body in outcomes if status == 201)
    assert list(Claim.objects.values_list("pk", "status")) == [(created["id"], ClaimStatus.ACTIVE)]
    assert Task.objects.get(pk=task.pk).active_claims == 1
