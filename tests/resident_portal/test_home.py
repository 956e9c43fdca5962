"""The residents' home: their community and the tasks they have claimed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coproduction.models import ClaimStatus
from tests import factories
from tests.pages import official_of, queries_to_get

pytestmark = pytest.mark.django_db
HOME = reverse("resident_portal:home")


def resident_with_claims(count, **claim):
    resident = factories.ResidentFactory(user=factories.UserFactory())
    project = factories.ProjectFactory(community=resident.community)
    for _ in range(count):
        factories.ClaimFactory(resident=resident, task__project=project, **claim)
    return resident


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_users_without_a_resident_record_are_refused(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(HOME).status_code == 403


def test_a_resident_sees_their_community_and_active_claims(client):
    resident = resident_with_claims(1)
    released = factories.ClaimFactory(
        resident=resident,
        task__project__community=resident.community,
        status=ClaimStatus.RELEASED,
        ended_at="2025-05-01T00:00:00Z",
    )
    factories.ClaimFactory(task__project__community=resident.community)  # a neighbour's
    client.force_login(resident.user)

    response = client.get(HOME)

    assert [claim.resident for claim in response.context["claims"]] == [resident]
    html = response.content.decode()
    assert resident.community.name in html
    assert released.task.title not in html


def test_the_home_makes_as_many_queries_for_30_claims_as_for_3(client):
    client.force_login(resident_with_claims(3).user)
    few = queries_to_get(client, HOME)
    client.force_login(resident_with_claims(30).user)
    assert queries_to_get(client, HOME) == few


def test_the_home_shows_my_volunteer_hours(client):
    resident = resident_with_claims(1)
    factories.CheckInFactory(claim=resident.claims.get(), hours="2.5")
    client.force_login(resident.user)

    response = client.get(HOME)

    assert response.context["hours"] == Decimal("2.5")
    assert "My volunteer hours" in response.content.decode()
