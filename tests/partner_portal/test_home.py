"""The partner portal home: the user's organisations and the projects they take part in."""
import pytest
from django.urls import reverse

from tests import factories
from tests.pages import official_of, queries_to_get, staff_of

pytestmark = pytest.mark.django_db
HOME = reverse("partner_portal:home")


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_users_of_no_organisation_are_refused(client):
    client.force_login(official_of(factories.CommunityFactory()))
    response = client.get(HOME)
    assert response.status_code == 403
    assert b"This page is for the staff of partner organisations." in response.content


def test_staff_see_their_organisations_and_their_projects(client):
    part = factories.ParticipationFactory(project__name="Dining hall", organisation__name="Sunshine NGO")
    factories.ParticipationFactory(project__name="Someone else's")
    client.force_login(staff_of(part.organisation))

    response = client.get(HOME)

    [organisation] = response.context["organisations"]
    assert organisation == part.organisation
    assert organisation.project_parts == [part]
    html = response.content.decode()
    assert "Sunshine NGO" in html and "Dining hall" in html and "Someone else" not in html


def make_organisation_with_projects(count):
    organisation = factories.OrganisationFactory()
    factories.ParticipationFactory.create_batch(count, organisation=organisation)
    return organisation


def test_the_home_makes_as_many_queries_for_30_projects_as_for_3(client):
    user = staff_of(make_organisation_with_projects(3))
    client.force_login(user)
    few = queries_to_get(client, HOME)
    client.force_login(staff_of(make_organisation_with_projects(30)))
    assert queries_to_get(client, HOME) == few
