"""Inspection checklist templates per service-list item, and inspection photos checked by decoding them."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accountability.models import Inspection, InspectionPhoto, InspectionTemplate
from accountability.services import inspections
from accountability.services.inspections import (
    PHOTO_MAX_COUNT,
    inspection_record,
    inspection_template_items,
    inspection_template_save,
)
from audit.models import AuditAction
from service_list.models import ListItemStatus
from tests.factories import ProjectFactory, ServiceListItemFactory

pytestmark = pytest.mark.django_db


def photo(name="kitchen.jpg", kind="JPEG", size=(64, 48), exif=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    extra = {}
    if exif and kind == "JPEG":
        metadata = Image.Exif()
        metadata[0x010F] = "Phone maker"  # Make
        extra["exif"] = metadata
    image.save(output, kind, **extra)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


# --- Templates -------------------------------------------------------------------------------


def test_an_official_writes_the_template_of_a_service_the_community_delivers(project, official, audit_of):
    template = inspection_template_save(
        service_item=project.service_item,
        items=[" Kitchen clean ", "", "Food kept cold"],
        user=official,
        community_id=project.community_id,
    )

    assert template.items == ["Kitchen clean", "Food kept cold"]
    assert audit_of(template, AuditAction.CREATE).get().actor == official
    assert inspection_template_items(project) == ["Kitchen clean", "Food kept cold"]


def test_changing_the_template_keeps_one_per_item_and_is_audited(project, official, audit_of):
    first = inspection_template_save(
        service_item=project.service_item, items=["Kitchen clean"], user=official, community_id=project.community_id
    )
    second = inspection_template_save(
        service_item=project.service_item,
        items=["Kitchen clean", "Hands washed"],
        user=official,
        community_id=project.community_id,
    )

    assert first.pk == second.pk and InspectionTemplate.objects.count() == 1
    change = audit_of(second, AuditAction.CHANGE).get()
    assert change.before["items"] == ["Kitchen clean"] and change.after["items"] == ["Kitchen clean", "Hands washed"]


def test_a_new_version_of_the_item_starts_from_the_checklist_of_the_version_before(project, official):
    inspection_template_save(
        service_item=project.service_item, items=["Kitchen clean"], user=official, community_id=project.community_id
    )
    newer = ServiceListItemFactory(
        code=project.service_item.code, version=project.service_item.version + 1, status=ListItemStatus.DRAFT
    )
    later_project = ProjectFactory(community=project.community, service_item=newer)

    assert inspection_template_items(later_project) == ["Kitchen clean"]


def test_a_project_without_a_template_starts_from_an_empty_checklist(project):
    assert inspection_template_items(project) == []


@pytest.mark.parametrize(
    "items, code",
    [
        ([" ", ""], "checklist_empty"),
        (["Kitchen clean", "Kitchen clean"], "item_repeated"),
        (["x" * 201], "item_too_long"),
        ([f"Item {n}" for n in range(51)], "too_many_items"),
    ],
)
def test_a_bad_template_is_refused_with_nothing_written(project, official, items, code):
    with pytest.raises(ValidationError) as refusal:
        inspection_template_save(
            service_item=project.service_item, items=items, user=official, community_id=project.community_id
        )
    assert refusal.value.error_dict["items"][0].code == code
    assert not InspectionTemplate.objects.exists()


def test_an_item_no_project_of_the_community_delivers_is_refused(project, official):
    elsewhere = ServiceListItemFactory()
    with pytest.raises(ValidationError) as refusal:
        inspection_template_save(service_item=elsewhere, items=["A"], user=official, community_id=project.community_id)
    assert refusal.value.error_dict["service_item"][0].code == "item_not_delivered"


def test_an_official_of_another_community_may_not_write_it(project, other_official):
    with pytest.raises(PermissionDenied):
        inspection_template_save(
            service_item=project.service_item, items=["A"], user=other_official, community_id=project.community_id
        )


# --- Photos ----------------------------------------------------------------------------------


def record(project, provider, official, photos):
    return inspection_record(
        project=project,
        organisation=provider.organisation,
        user=official,
        inspected_on=timezone.localdate(),
        checklist=[{"item": "Kitchen clean", "passed": True, "note": ""}],
        photos=photos,
    )


def test_a_photo_is_stored_re_encoded_without_its_metadata(project, provider, official):
    inspection = record(project, provider, official, [photo()])

    stored = InspectionPhoto.objects.get(inspection=inspection)
    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 64, 48)
    assert stored.image.name.endswith(".jpg") and "kitchen" not in stored.image.name
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and 0x010F not in image.getexif()


def test_a_large_photo_is_scaled_down(project, provider, official):
    inspection = record(project, provider, official, [photo(kind="PNG", size=(3000, 1500), exif=False)])
    stored = inspection.photos.get()
    assert (stored.content_type, stored.width, stored.height) == ("image/png", 2000, 1000)


def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name(project, provider, official):
    fake = SimpleUploadedFile("kitchen.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refusal:
        record(project, provider, official, [fake])
    assert refusal.value.error_dict["photos"][0].code == "photo_type"
    assert not Inspection.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(project, provider, official, monkeypatch):
    monkeypatch.setattr(inspections, "PHOTO_MAX_BYTES", 100)
    with pytest.raises(ValidationError) as refusal:
        record(project, provider, official, [photo()])
    assert refusal.value.error_dict["photos"][0].code == "file_too_large"


def test_too_many_photos_are_refused(project, provider, official):
    with pytest.raises(ValidationError) as refusal:
        record(project, provider, official, [photo(f"{n}.jpg") for n in range(PHOTO_MAX_COUNT + 1)])
    assert refusal.value.error_dict["photos"][0].code == "too_many_photos"
    assert not InspectionPhoto.objects.exists()
