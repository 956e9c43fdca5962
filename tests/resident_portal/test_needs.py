"""Expressing a need, and my needs with their status and the officials' response."""

import pytest
from django.urls import reverse

from coproduction.models import Need, NeedStatus
from tests import factories
from tests.pages import official_of, queries_to_get

pytestmark = pytest.mark.django_db
NEEDS = reverse("resident_portal:needs")


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(NEEDS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_officials_are_refused(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(NEEDS).status_code == 403


def test_a_resident_expresses_a_need_about_a_published_service(signed_in, resident):
    item = factories.ServiceListItemFactory(name="Elderly dining")

    data = {"title": "Lunch near building 3", "description": "Weekdays.", "service_item": item.pk}

    response = signed_in.post(NEEDS, data)

    need = Need.objects.get()
    assert response.status_code == 302 and response.url == NEEDS
    assert (need.resident, need.community, need.service_item) == (resident, resident.community, item)
    assert need.status == NeedStatus.OPEN


def test_draft_services_are_not_offered(signed_in):
    published = factories.ServiceListItemFactory()
    factories.ServiceListItemFactory(draft=True)
    assert list(signed_in.get(NEEDS).context["form"].fields["service_item"].queryset) == [published]


def test_a_need_without_a_title_is_refused_inline_and_the_details_are_kept(signed_in):
    response = signed_in.post(NEEDS, {"title": "", "description": "A ramp at the gate."})

    assert response.context["form"].errors["title"] == ["Say in a few words what is needed."]
    assert "A ramp at the gate." in response.content.decode()
    assert not Need.objects.exists()


def test_my_needs_show_their_status_and_response(signed_in, resident):
    factories.NeedFactory(
        resident=resident,
        community=resident.community,
        title="Benches",
        status=NeedStatus.PLANNED,
        response="Planned for the spring.",
    )
    factories.NeedFactory(community=resident.community, title="A neighbour's need")

    html = signed_in.get(NEEDS).content.decode()

    assert "Benches" in html and "Planned" in html and "Planned for the spring." in html
    assert "A neighbour" not in html


def resident_with_needs(count):
    resident = factories.ResidentFactory(user=factories.UserFactory())
    factories.NeedFactory.create_batch(
        count, resident=resident, community=resident.community, service_item=factories.ServiceListItemFactory()
    )
    return resident


def test_the_needs_page_makes_as_many_queries_for_30_as_for_3(client):
    client.force_login(resident_with_needs(3).user)
    few = queries_to_get(client, NEEDS)
    client.force_login(resident_with_needs(30).user)
    assert queries_to_get(client, NEEDS) == few
