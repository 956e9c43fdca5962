"""Complaints routed to the organisation: on the home with their deadline, answered, with the resident's photo."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.pages import staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(provider):
    return factories.ComplaintFactory(project=provider.project, routed_to=provider.organisation, subject="Cold meals")


def test_the_home_lists_a_routed_complaint_with_its_deadline_and_the_way_to_answer(client, staff, complaint):
    client.force_login(staff)

    html = client.get(reverse("partner_portal:home")).content.decode()

    due = timezone.localtime(complaint.response_due_at)
    assert "Cold meals" in html and f'datetime="{due:%Y-%m-%dT%H:%M}' in html
    assert reverse("partner_portal:complaint_answer", args=[complaint.pk]) in html


def test_the_resident_s_photo_is_offered_to_the_staff_who_answer(client, staff, complaint):
    complaint.photo.save("cold.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"\x00" * 32))
    client.force_login(staff)
    photo_url = reverse("partner_portal:complaint_photo", args=[complaint.pk])

    assert photo_url in client.get(reverse("partner_portal:complaint_answer", args=[complaint.pk])).content.decode()
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_another_organisation_s_staff_get_no_photo(client, complaint):
    complaint.photo.save("cold.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"\x00" * 32))
    client.force_login(staff_of(factories.OrganisationFactory()))

    assert client.get(reverse("partner_portal:complaint_photo", args=[complaint.pk])).status_code == 404
