"""A resident opens the photos of their own check-ins, served under the name the platform gives them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests import factories
from tests.pages import official_of
from tests.resident_portal.images import tiny_png

pytestmark = pytest.mark.django_db
CHECKINS = reverse("resident_portal:checkins")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def checkin_with_photo(claim):
    checkin = factories.CheckInFactory(claim=claim)
    checkin.photo.save("stored.png", ContentFile(tiny_png()), save=True)
    return checkin


@pytest.fixture
def checkin(resident, project):
    claim = factories.ClaimFactory(task__project=project, task__hours_per_checkin=Decimal("1.5"), resident=resident)
    return checkin_with_photo(claim)


def photo_url(checkin):
    return reverse("resident_portal:checkin_photo", args=[checkin.pk])


def test_my_checkins_page_links_each_photo(signed_in, checkin):
    html = signed_in.get(CHECKINS).content.decode()
    assert f'href="{photo_url(checkin)}"' in html


def test_a_resident_downloads_the_photo_of_their_check_in_under_a_fixed_name(signed_in, checkin):
    response = signed_in.get(photo_url(checkin))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_png()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="checkin-{checkin.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_neighbours_photo_is_not_found(signed_in, project):
    neighbour = factories.ClaimFactory(task__project=project, resident__community=project.community)
    assert signed_in.get(photo_url(checkin_with_photo(neighbour))).status_code == 404


def test_a_check_in_without_a_photo_has_no_link_and_no_download(signed_in, checkin):
    bare = factories.CheckInFactory(claim=checkin.claim, on=checkin.on - timedelta(days=1))
    assert photo_url(bare) not in signed_in.get(CHECKINS).content.decode()
    assert signed_in.get(photo_url(bare)).status_code == 404


def test_a_photo_missing_from_storage_is_not_found(signed_in, checkin):
    checkin.photo.storage.delete(checkin.photo.name)
    assert signed_in.get(photo_url(checkin)).status_code == 404


def test_visitors_are_sent_to_the_login_page(client, checkin):
    response = client.get(photo_url(checkin))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_officials_are_refused_the_residents_page(client, checkin):
    client.force_login(official_of(checkin.claim.task.project.community))
    assert client.get(photo_url(checkin)).status_code == 403
