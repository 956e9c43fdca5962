"""Duty evidence in the portal: photos and files with the words, checked, listed and served after a permission check."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accountability.models import DutyCompletion, DutyCompletionAttachment
from audit.models import AuditEntry
from tests import factories
from tests.pages import official_of, resident_user_of, staff_of

pytestmark = pytest.mark.django_db


def jpeg(name="kitchen.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg")


def complete_url(duty):
    return reverse("partner_portal:duty_complete", args=[duty.pk])


def file_url(attachment):
    return reverse(
        "partner_portal:duty_completion_attachment",
        kwargs={"pk": attachment.completion_id, "attachment_id": attachment.pk},
    )


@pytest.fixture
def duty(provider):
    return factories.DutyFactory(
        project=provider.project,
        accountable=provider,
        title="Kitchen check",
        next_due_on=timezone.localdate() - timedelta(days=1),
    )


def complete(client, duty, *files):
    return client.post(
        complete_url(duty),
        {
            "evidence": "Kitchen cleaned, photo attached.",
            "due_on": duty.next_due_on.isoformat(),
            "attachments": list(files),
        },
    )


def test_the_form_takes_photos_and_files(client, staff, duty):
    client.force_login(staff)
    html = client.get(complete_url(duty)).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'id="id_attachments"' in html and "multiple" in html


def test_staff_complete_a_duty_with_a_photo_listed_on_the_duty_page(client, staff, duty):
    client.force_login(staff)

    response = complete(client, duty, jpeg())

    assert response.status_code == 302
    attachment = DutyCompletionAttachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("kitchen.jpg", "image/jpeg")
    assert AuditEntry.objects.filter(object_id=str(attachment.pk), object_repr="kitchen.jpg").exists()
    html = client.get(response.url).content.decode()
    assert "kitchen.jpg" in html and file_url(attachment) in html


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(client, staff, duty):
    client.force_login(staff)

    response = complete(client, duty, SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", "image/jpeg"))

    assert response.status_code == 200
    assert "is not a file of an accepted type" in response.context["form"].errors["attachments"][0]
    assert response.context["form"]["evidence"].value() == "Kitchen cleaned, photo attached."
    assert not DutyCompletion.objects.exists() and not DutyCompletionAttachment.objects.exists()


def test_too_many_files_are_refused(client, staff, duty):
    client.force_login(staff)

    response = complete(client, duty, *[jpeg(f"{number}.jpg") for number in range(11)])

    assert "at most 10 files" in response.context["form"].errors["attachments"][0]
    assert not DutyCompletion.objects.exists()


def test_the_file_is_served_to_staff_and_to_the_community_s_officials_only(client, staff, duty, provider):
    client.force_login(staff)
    complete(client, duty, jpeg())
    attachment = DutyCompletionAttachment.objects.get()

    response = client.get(file_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert f"duty-completion-{attachment.completion_id}-{attachment.pk}.jpg" in response["Content-Disposition"]

    client.force_login(official_of(provider.project.community))
    assert client.get(file_url(attachment)).status_code == 200
    client.force_login(resident_user_of(provider.project.community))
    assert client.get(file_url(attachment)).status_code == 404
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(file_url(attachment)).status_code == 404
