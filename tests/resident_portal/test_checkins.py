"""Checking in on a claimed task (date, note, photo) and the resident's check-ins with their hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coproduction.models import CheckIn, ClaimStatus
from tests import factories
from tests.pages import official_of, queries_to_get
from tests.resident_portal.images import tiny_png

pytestmark = pytest.mark.django_db
CHECKINS = reverse("resident_portal:checkins")


@pytest.fixture
def claim(resident, project):
    return factories.ClaimFactory(task__project=project, task__hours_per_checkin=Decimal("1.5"), resident=resident)


def checkin_url(claim):
    return reverse("resident_portal:checkin", args=[claim.pk])


def test_visitors_are_sent_to_the_login_page(client, claim):
    response = client.get(checkin_url(claim))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_users_without_a_resident_record_are_refused(client, claim):
    client.force_login(official_of(claim.task.project.community))
    assert client.get(CHECKINS).status_code == 403


def test_a_neighbours_claim_is_not_found(signed_in, project):
    neighbours = factories.ClaimFactory(task__project=project)
    assert signed_in.get(checkin_url(neighbours)).status_code == 404


def test_the_form_offers_today_as_the_date(signed_in, claim):
    response = signed_in.get(checkin_url(claim))
    assert response.context["form"]["on"].value() == timezone.localdate()
    assert 'type="date"' in response.content.decode()


def test_a_resident_checks_in_with_a_note_and_a_photo(signed_in, claim):
    photo = SimpleUploadedFile("plot.png", tiny_png(), content_type="image/png")
    today = timezone.localdate()

    data = {"on": today.isoformat(), "note": "Weeded the border.", "photo": photo}

    response = signed_in.post(checkin_url(claim), data)

    assert response.status_code == 302 and response.url == CHECKINS
    checkin = CheckIn.objects.get()
    assert (checkin.claim, checkin.on, checkin.hours) == (claim, today, Decimal("1.5"))
    assert checkin.note == "Weeded the border."
    assert checkin.photo.name.endswith(".png")
    claim.refresh_from_db()
    assert claim.last_checkin_on == today


def test_a_future_date_is_refused_on_the_date_and_the_note_is_kept(signed_in, claim):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = signed_in.post(checkin_url(claim), {"on": tomorrow.isoformat(), "note": "Watered."})

    assert response.status_code == 200
    assert response.context["form"].errors["on"] == ["A check-in cannot be in the future."]
    html = response.content.decode()
    assert "Watered." in html and "choose the photo again" in html
    assert not CheckIn.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_on_the_photo(signed_in, claim):
    fake = SimpleUploadedFile("plot.png", b"not a picture", content_type="image/png")

    response = signed_in.post(checkin_url(claim), {"on": timezone.localdate().isoformat(), "photo": fake})

    assert "photo" in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_a_released_claim_can_no_longer_be_checked_in(signed_in, claim):
    claim.status, claim.ended_at = ClaimStatus.RELEASED, timezone.now()
    claim.save()
    assert signed_in.get(checkin_url(claim)).status_code == 404


def test_my_checkins_page_lists_them_with_my_volunteer_hours(signed_in, claim):
    factories.CheckInFactory(claim=claim, on=timezone.localdate(), hours=Decimal("1.5"), note="Pruned the roses.")
    factories.CheckInFactory(claim=claim, on=timezone.localdate() - timedelta(days=7), hours=Decimal("2"))
    factories.CheckInFactory(claim__task__project=claim.task.project)  # a neighbour's

    response = signed_in.get(CHECKINS)

    assert response.context["hours"] == Decimal("3.5")
    assert len(response.context["page_obj"]) == 2
    assert "Pruned the roses." in response.content.decode()


def resident_with_checkins(count):
    claim = factories.ClaimFactory(resident__user=factories.UserFactory())
    for day in range(count):
        factories.CheckInFactory(claim=claim, on=timezone.localdate() - timedelta(days=day))
    return claim.resident


def test_my_checkins_page_makes_as_many_queries_for_30_as_for_3(client):
    client.force_login(resident_with_checkins(3).user)
    few = queries_to_get(client, CHECKINS)
    client.force_login(resident_with_checkins(30).user)
    assert queries_to_get(client, CHECKINS) == few


def test_the_date_is_prefilled_as_an_iso_date_in_chinese(signed_in, claim):
    """The browser's date input shows nothing for a localised value such as 2026/12/07."""
    response = signed_in.get(checkin_url(claim), HTTP_ACCEPT_LANGUAGE="zh-hans")
    today = timezone.localdate().isoformat()
    assert f'type="date" name="on" value="{today}"' in response.content.decode()
