"""POST /inspections/ as a multipart form: the checklist with photos, checked as on the dashboard."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accountability.models import Breach, BreachKind, Inspection, InspectionPhoto, InspectionResult
from accountability.services import inspections
from audit.models import AuditAction, AuditEntry
from tests.factories import MembershipFactory, ParticipationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspections/"


@pytest.fixture
def provider(community):
    return ParticipationFactory(project=ProjectFactory(community=community))


def photo(name="kitchen.jpg", kind="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    extra = {}
    if kind == "JPEG":
        metadata = Image.Exif()
        metadata[0x010F] = "Phone maker"  # Make: metadata the stored copy must not keep
        extra["exif"] = metadata
    image.save(output, kind, **extra)
    return SimpleUploadedFile(name, output.getvalue(), content_type=f"image/{kind.lower()}")


def form(provider, *, photos=(), checklist=None, **overrides) -> dict:
    rows = checklist if checklist is not None else [{"item": "Kitchen clean", "passed": True, "note": ""}]
    return {
        "project": provider.project_id,
        "organisation": provider.organisation_id,
        "inspected_on": str(timezone.localdate()),
        "notes": "Lunch visit.",
        "checklist": rows if isinstance(rows, str) else json.dumps(rows),
        "photos": list(photos),
        **overrides,
    }


def post(client, body):
    return client.post(URL, body, format="multipart")


def nothing_written() -> bool:
    return not Inspection.objects.exists() and not InspectionPhoto.objects.exists()


def test_an_official_records_an_inspection_with_photos(client_for, official, provider):
    response = post(client_for(official), form(provider, photos=[photo(), photo("yard.png", "PNG")]))

    assert response.status_code == 201
    inspection = Inspection.objects.get()
    assert (inspection.inspector, inspection.result, inspection.notes) == (
        official,
        InspectionResult.PASSED,
        "Lunch visit.",
    )
    assert inspection.checklist == [{"item": "Kitchen clean", "passed": True, "note": ""}]
    assert sorted(row["content_type"] for row in response.data["photos"]) == ["image/jpeg", "image/png"]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="inspectionphoto").count() == 2


def test_the_photos_are_stored_re_encoded_without_their_metadata(client_for, official, provider):
    post(client_for(official), form(provider, photos=[photo()]))

    stored = InspectionPhoto.objects.get()
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and 0x010F not in image.getexif()


def test_a_photo_is_downloaded_from_the_link_the_answer_gives(client_for, official, provider):
    client = client_for(official)
    response = post(client, form(provider, photos=[photo()]))

    download = client.get(response.data["photos"][0]["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"


def test_a_form_without_photos_records_the_checklist_alone(client_for, official, provider):
    response = post(client_for(official), form(provider))

    assert response.status_code == 201 and response.data["photos"] == []


def test_a_failed_inspection_with_photos_opens_a_breach(client_for, official, provider):
    failed = [{"item": "Kitchen clean", "passed": False}, {"item": "Food kept cold", "passed": False}]
    response = post(client_for(official), form(provider, checklist=failed, photos=[photo()]))

    assert response.data["result"] == InspectionResult.FAILED
    breach = Breach.objects.get()
    assert (breach.kind, breach.inspection_id) == (BreachKind.FAILED_INSPECTION, response.data["id"])


def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name(client_for, official, provider):
    fake = SimpleUploadedFile("receipt.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = post(client_for(official), form(provider, photos=[photo(), fake]))

    assert response.status_code == 400
    assert response.data["code"] == "photo_type"
    assert response.data["errors"]["photos"] == [
        "receipt.jpg is not a JPEG or PNG photo: its contents were checked, not its name."
    ]
    assert nothing_written()


def test_a_photo_over_the_size_limit_is_refused(client_for, official, provider, monkeypatch):
    monkeypatch.setattr(inspections, "PHOTO_MAX_BYTES", 100)
    response = post(client_for(official), form(provider, photos=[photo()]))

    assert response.status_code == 400
    assert response.data["code"] == "file_too_large"
    assert "kitchen.jpg is larger than the limit" in response.data["errors"]["photos"][0]
    assert nothing_written()


def test_too_many_photos_are_refused(client_for, official, provider):
    photos = [photo(f"p{number}.jpg") for number in range(inspections.PHOTO_MAX_COUNT + 1)]
    response = post(client_for(official), form(provider, photos=photos))

    assert response.status_code == 400
    assert response.data["errors"]["photos"][0] == (
        f"An inspection may have at most {inspections.PHOTO_MAX_COUNT} photos."
    )
    assert nothing_written()


def test_a_checklist_that_is_not_json_text_says_how_to_write_it(client_for, official, provider):
    response = post(client_for(official), form(provider, checklist="Kitchen clean: yes"))

    assert response.status_code == 400
    assert response.data["errors"]["checklist"][0].startswith("Write the checklist as JSON text")
    assert nothing_written()


def test_a_checklist_row_without_its_mark_is_refused_by_field(client_for, official, provider):
    response = post(client_for(official), form(provider, checklist=[{"item": "Kitchen clean"}]))

    assert response.status_code == 400
    assert response.data["errors"] == {"checklist.0.passed": ["This field is required."]}
    assert nothing_written()


def test_an_empty_checklist_is_refused_by_the_domain(client_for, official, provider):
    response = post(client_for(official), form(provider, checklist=[], photos=[photo()]))

    assert response.status_code == 400 and response.data["code"] == "checklist_empty"
    assert nothing_written()


def test_staff_of_the_organisation_may_not_record_one(client_for, provider):
    staff = MembershipFactory(organisation=provider.organisation).user
    response = post(client_for(staff), form(provider, photos=[photo()]))

    assert response.status_code == 403
    assert nothing_written()


def test_another_communitys_project_is_a_404(client_for, official):
    elsewhere = ParticipationFactory()
    assert post(client_for(official), form(elsewhere, photos=[photo()])).status_code == 404
    assert nothing_written()
