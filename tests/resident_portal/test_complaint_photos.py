"""A complaint may carry a photo: checked by decoding it, stored re-encoded without its metadata,
shown only to its resident, and deleted with their account."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accountability.models import Complaint, ComplaintStatus
from tests import factories
from tests.resident_portal.images import tiny_png

pytestmark = pytest.mark.django_db
COMPLAINTS = reverse("resident_portal:complaints")


def photo_url(complaint):
    return reverse("resident_portal:complaint_photo", args=[complaint.pk])


def jpeg_with_metadata() -> bytes:
    """A photo as a phone takes it: a JPEG with EXIF metadata (here the camera's make)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    output = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(output, "JPEG", exif=exif)
    return output.getvalue()


def file_complaint(client, project, photo):
    return client.post(
        COMPLAINTS, {"project": project.pk, "subject": "Broken bench", "body": "Split in two.", "photo": photo}
    )


def test_a_resident_files_a_complaint_with_a_photo_stored_without_its_metadata(signed_in, project):
    factories.MembershipFactory(organisation=project.participations.get().organisation)

    response = file_complaint(signed_in, project, SimpleUploadedFile("bench.jpg", jpeg_with_metadata(), "image/jpeg"))

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.photo.name.endswith(".jpg")
    assert "bench" not in complaint.photo.name
    with complaint.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (32, 24) and not image.getexif()


def test_a_file_that_is_not_a_photo_is_refused_and_the_text_is_kept(signed_in, project):
    response = file_complaint(signed_in, project, SimpleUploadedFile("bench.png", b"MZ not an image", "image/png"))

    assert response.status_code == 200
    assert "is not a JPEG or PNG photo" in response.context["form"].errors["photo"][0]
    assert "Split in two." in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_refused_photo_and_a_missing_subject_are_named_together(signed_in, project):
    response = signed_in.post(
        COMPLAINTS,
        {
            "project": project.pk,
            "subject": "",
            "body": "Split in two.",
            "photo": SimpleUploadedFile("x.png", b"not a photo"),
        },
    )

    errors = response.context["form"].errors
    assert set(errors) == {"subject", "photo"} and not Complaint.objects.exists()


def test_the_complaint_page_shows_the_photo_served_only_to_its_resident(signed_in, client, project):
    factories.MembershipFactory(organisation=project.participations.get().organisation)
    file_complaint(signed_in, project, SimpleUploadedFile("bench.png", tiny_png(8, 8), "image/png"))
    complaint = Complaint.objects.get()

    html = signed_in.get(reverse("resident_portal:complaint", args=[complaint.pk])).content.decode()
    response = signed_in.get(photo_url(complaint))

    assert f'<img src="{photo_url(complaint)}"' in html
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]
    assert f'filename="complaint-{complaint.pk}.png"' in response["Content-Disposition"]
    neighbour = factories.ResidentFactory(community=project.community, user=factories.UserFactory())
    client.force_login(neighbour.user)
    assert client.get(photo_url(complaint)).status_code == 404


def test_a_complaint_without_a_photo_has_none_to_serve(signed_in, resident, project):
    complaint = factories.ComplaintFactory(project=project, resident=resident)
    assert signed_in.get(photo_url(complaint)).status_code == 404


def test_my_complaints_show_the_answer_and_its_date(signed_in, resident, project):
    complaint = factories.ComplaintFactory(project=project, resident=resident, subject="Broken tap")
    complaint.status, complaint.response = ComplaintStatus.ANSWERED, "We replaced the tap on Monday."
    complaint.responded_at = timezone.now()
    complaint.save()

    html = signed_in.get(COMPLAINTS).content.decode()

    assert "We replaced the tap on Monday." in html
    assert f"Answered on {timezone.localtime(complaint.responded_at):%m/%d/%Y}" in html


def test_my_data_says_a_photo_was_sent_without_saying_where_it_is_stored(signed_in, project):
    factories.MembershipFactory(organisation=project.participations.get().organisation)
    file_complaint(signed_in, project, SimpleUploadedFile("bench.png", tiny_png(8, 8), "image/png"))

    data = signed_in.get(reverse("resident_portal:my_data_download")).json()

    assert [(complaint["subject"], complaint["photo"]) for complaint in data["complaints"]] == [("Broken bench", True)]


def test_removing_my_account_deletes_my_complaints_photos_and_keeps_the_complaints(
    signed_in,
    project,
    django_capture_on_commit_callbacks,
):
    factories.MembershipFactory(organisation=project.participations.get().organisation)
    file_complaint(signed_in, project, SimpleUploadedFile("bench.png", tiny_png(8, 8), "image/png"))
    complaint = Complaint.objects.get()
    stored, storage = complaint.photo.name, complaint.photo.storage

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("resident_portal:account_removal"), {"confirm": "on"})

    complaint.refresh_from_db()
    assert not complaint.photo and complaint.subject == "Broken bench"
    assert not storage.exists(stored)
