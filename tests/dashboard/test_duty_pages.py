"""Officials open a duty from its project or its breach and see each completion's evidence, photos and files too."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accountability.models import DutyCompletionAttachment
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of, staff_of

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def url(name, **kwargs):
    return reverse(f"dashboard:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def duty():
    return factories.DutyFactory(title="Kitchen hygiene check")


@pytest.fixture
def official(client, duty):
    user = official_of(duty.project.community)
    client.force_login(user)
    return user


def evidence_file(completion, name="kitchen.jpg", content=JPEG, content_type="image/jpeg"):
    attachment = DutyCompletionAttachment(
        completion=completion, original_name=name, content_type=content_type, size=len(content)
    )
    attachment.file.save("evidence.bin", ContentFile(content), save=True)
    return attachment


def file_url(attachment):
    return url("duty_completion_attachment", pk=attachment.completion_id, attachment_id=attachment.pk)


def test_an_official_sees_each_completion_with_its_photo_and_files(client, official, duty):
    completion = factories.DutyCompletionFactory(duty=duty, evidence="Kitchen cleaned, photo attached.")
    photo = evidence_file(completion)
    sheet = evidence_file(
        completion, name="checklist.pdf", content=b"%PDF-1.4 checklist", content_type="application/pdf"
    )

    html = client.get(url("duty_detail", pk=duty.pk)).content.decode()

    assert "Kitchen hygiene check" in html and "Kitchen cleaned, photo attached." in html
    assert f'<img src="{file_url(photo)}"' in html and "kitchen.jpg" in html
    assert f'href="{file_url(sheet)}"' in html and "checklist.pdf" in html
    assert f'<img src="{file_url(sheet)}"' not in html
    assert "/media/" not in html


def test_the_photo_is_served_to_the_communitys_officials(client, official, duty):
    photo = evidence_file(factories.DutyCompletionFactory(duty=duty))

    response = client.get(file_url(photo))

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG
    assert f"duty-completion-{photo.completion_id}-{photo.pk}.jpg" in response["Content-Disposition"]


def test_another_communitys_duty_and_its_files_are_404s(client, official):
    other = factories.DutyCompletionFactory()
    photo = evidence_file(other)

    assert client.get(url("duty_detail", pk=other.duty_id)).status_code == 404
    assert client.get(file_url(photo)).status_code == 404


def test_a_file_of_another_completion_is_a_404_under_this_one(client, official, duty):
    mine = factories.DutyCompletionFactory(duty=duty)
    theirs = evidence_file(factories.DutyCompletionFactory())

    response = client.get(url("duty_completion_attachment", pk=mine.pk, attachment_id=theirs.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["staff", "resident"])
def test_only_officials_open_the_dashboards_duty_page_and_files(client, duty, who):
    photo = evidence_file(factories.DutyCompletionFactory(duty=duty))
    user = staff_of(duty.accountable.organisation) if who == "staff" else resident_user_of(duty.project.community)
    client.force_login(user)

    assert client.get(url("duty_detail", pk=duty.pk)).status_code in {403, 404}
    assert client.get(file_url(photo)).status_code in {403, 404}


def test_the_duty_page_is_linked_from_its_project_and_from_its_breach(client, official, duty):
    factories.BreachFactory(project=duty.project, duty=duty)
    duty_page = url("duty_detail", pk=duty.pk)

    project_page = client.get(url("project_detail", pk=duty.project_id)).content.decode()
    breach_page = client.get(url("breach_list", code=duty.project.community.code)).content.decode()

    assert f'href="{duty_page}"' in project_page and f'href="{duty_page}"' in breach_page


def test_the_duty_page_reads_in_chinese(client, official, duty):
    evidence_file(factories.DutyCompletionFactory(duty=duty))

    html = client.get(url("duty_detail", pk=duty.pk), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "已完成的各期" in html and "证据照片" in html
    assert "Completed by" not in html and "Photo of the evidence" not in html and "Next due" not in html


def test_the_page_makes_the_same_number_of_queries_for_2_or_20_completions(client, official, duty):
    def completed_weeks(weeks):
        for week in weeks:
            evidence_file(factories.DutyCompletionFactory(duty=duty, due_on=duty.next_due_on - timedelta(weeks=week)))

    completed_weeks(range(2))
    at_two = queries_to_get(client, url("duty_detail", pk=duty.pk))
    completed_weeks(range(2, 20))

    assert queries_to_get(client, url("duty_detail", pk=duty.pk)) == at_two
