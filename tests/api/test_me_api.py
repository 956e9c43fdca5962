"""The signed-in resident's own data over the API: download it (GET me/data/), remove the account (POST me/removal/)."""

import pytest

from coproduction.models import ClaimStatus
from partners.models import Resident
from tests.factories import CheckInFactory, ClaimFactory, OfficialPostFactory, RatingFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_a_resident_downloads_everything_held_about_them(client_for, resident):
    claim = ClaimFactory(resident=resident, task=TaskFactory(project__community=resident.community))
    CheckInFactory(claim=claim, note="Weeded the plot")
    RatingFactory(resident=resident, project=claim.task.project, score=4)
    response = client_for(resident.user).get("/api/v1/me/data/")
    assert response.status_code == 200
    data = response.json()
    assert data["profile"]["phone"] == resident.phone
    assert [row["note"] for row in data["check_ins"]] == ["Weeded the plot"]
    assert [row["score"] for row in data["ratings"]] == [4]
    assert set(data) >= {"claims", "needs", "complaints", "volunteer_hours"}


def test_an_official_has_no_data_to_download_here(client_for, official):
    response = client_for(official).get("/api/v1/me/data/")
    assert response.status_code == 403
    assert response.json()["message"] == "Only residents have personal data to download here."


def test_removal_needs_an_explicit_confirmation(client_for, resident):
    response = client_for(resident.user).post("/api/v1/me/removal/", {"confirm": False}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["confirm"] == [
        "Confirm that you want your account removed: this cannot be undone."
    ]
    assert Resident.objects.get(pk=resident.pk).removed_at is None


def test_a_resident_removes_their_account_and_is_signed_out(client_for, resident):
    claim = ClaimFactory(resident=resident, task=TaskFactory(project__community=resident.community))
    client = client_for(resident.user)
    response = client.post("/api/v1/me/removal/", {"confirm": True}, format="json")
    assert response.status_code == 200 and response.json()["removed"] is True
    assert Resident.objects.get(pk=resident.pk).name == ""
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED
    assert client.get("/api/v1/me/data/").status_code in (401, 403)


def test_an_official_who_is_also_a_resident_is_refused_with_the_reason(client_for, resident):
    OfficialPostFactory(user=resident.user, community=resident.community)
    response = client_for(resident.user).post("/api/v1/me/removal/", {"confirm": True}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_only_resident"
    assert "ask an administrator" in response.json()["message"]
    assert Resident.objects.get(pk=resident.pk).removed_at is None


def test_a_user_who_is_not_a_resident_is_refused(client_for, official):
    response = client_for(official).post("/api/v1/me/removal/", {"confirm": True}, format="json")
    assert response.status_code == 403
    assert "Only residents remove their account here" in response.json()["message"]


def test_the_schema_documents_both_endpoints(client_for):
    schema = client_for().get("/api/schema/?format=json").json()
    assert set(schema["paths"]["/api/v1/me/data/"]) >= {"get"}
    removal = schema["paths"]["/api/v1/me/removal/"]["post"]
    assert {"200", "400", "403"} <= set(removal["responses"])
