"""My data: a resident sees what is held about them, downloads it, and may have the account removed."""

import json

import pytest
from django.urls import reverse

from coproduction.models import ClaimStatus
from partners.models import Resident
from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db
MY_DATA = reverse("resident_portal:my_data")
DOWNLOAD = reverse("resident_portal:my_data_download")
REMOVAL = reverse("resident_portal:account_removal")


def test_every_residents_page_links_to_my_data(signed_in):
    page = signed_in.get(reverse("resident_portal:home")).content.decode()
    assert f'href="{MY_DATA}"' in page


def test_my_data_shows_the_residents_own_contact_details_and_the_two_actions(signed_in, resident):
    page = signed_in.get(MY_DATA).content.decode()
    assert resident.phone in page
    assert f'href="{DOWNLOAD}"' in page and f'href="{REMOVAL}"' in page


def test_the_download_is_a_json_file_of_everything_held(signed_in, resident, project):
    factories.RatingFactory(resident=resident, project=project, score=5, comment="很好")
    response = signed_in.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["profile"]["phone"] == resident.phone
    assert [rating["comment"] for rating in data["ratings"]] == ["很好"]
    assert "很好" in response.content.decode()  # readable Chinese, not \\u escapes


def test_removal_asks_for_confirmation_first(signed_in, resident):
    page = signed_in.get(REMOVAL).content.decode()
    assert 'name="confirm"' in page and "cannot be undone" in page
    response = signed_in.post(REMOVAL, {})
    assert response.status_code == 200
    assert "Tick the box to confirm the removal." in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).removed_at is None


def test_a_confirmed_removal_anonymises_and_signs_the_resident_out(signed_in, resident, project):
    claim = factories.ClaimFactory(resident=resident, task=factories.TaskFactory(project=project))
    response = signed_in.post(REMOVAL, {"confirm": "on"})
    assert response.status_code == 200
    assert "Your account is removed" in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).phone == ""
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get(MY_DATA).status_code == 302  # to the login page


def test_an_account_that_is_also_an_officials_is_refused_on_the_form(client, resident):
    factories.OfficialPostFactory(user=resident.user, community=resident.community)
    client.force_login(resident.user)
    response = client.post(REMOVAL, {"confirm": "on"})
    assert response.status_code == 200
    assert "ask an administrator to close it" in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).removed_at is None


def test_officials_without_a_resident_record_are_refused_the_pages(client, resident):
    client.force_login(official_of(resident.community))
    assert client.get(MY_DATA).status_code == 403
    assert client.post(REMOVAL, {"confirm": "on"}).status_code == 403
