"""Filing a complaint about a project and following it: status, deadline, answer; confirm or reopen."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Complaint, ComplaintStatus
from tests import factories
from tests.pages import official_of, queries_to_get

pytestmark = pytest.mark.django_db
COMPLAINTS = reverse("resident_portal:complaints")


def detail_url(complaint):
    return reverse("resident_portal:complaint", args=[complaint.pk])


def answered(complaint):
    complaint.status, complaint.response, complaint.responded_at = (
        ComplaintStatus.ANSWERED,
        "We replaced the broken tap.",
        timezone.now(),
    )
    complaint.save()
    return complaint


@pytest.fixture
def complaint(resident, project):
    return factories.ComplaintFactory(project=project, resident=resident, subject="Broken tap")


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(COMPLAINTS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_officials_are_refused(client, project):
    client.force_login(official_of(project.community))
    assert client.get(COMPLAINTS).status_code == 403


def test_a_neighbours_complaint_is_not_found(signed_in, project):
    assert signed_in.get(detail_url(factories.ComplaintFactory(project=project))).status_code == 404


def test_a_resident_files_a_complaint_and_it_goes_to_the_projects_lead(signed_in, resident, project):
    factories.MembershipFactory(organisation=project.participations.get().organisation)
    response = signed_in.post(COMPLAINTS, {"project": project.pk, "subject": "Litter", "body": "Bins overflow."})

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == detail_url(complaint)
    assert (complaint.resident, complaint.project, complaint.status) == (resident, project, ComplaintStatus.OPEN)
    assert complaint.routed_to == project.participations.get().organisation


def test_a_complaint_without_a_subject_is_refused_inline_and_the_text_is_kept(signed_in, project):
    response = signed_in.post(COMPLAINTS, {"project": project.pk, "subject": "", "body": "Bins overflow."})

    assert response.context["form"].errors["subject"] == ["Give the complaint a subject."]
    assert "Bins overflow." in response.content.decode()
    assert not Complaint.objects.exists()


def test_my_complaints_show_their_status_and_deadline(signed_in, complaint):
    html = signed_in.get(COMPLAINTS).content.decode()
    assert "Broken tap" in html and "Awaiting response" in html and "answer due by" in html


def test_the_complaint_page_shows_the_answer_and_offers_confirm_or_reopen(signed_in, complaint):
    html = signed_in.get(detail_url(answered(complaint))).content.decode()
    assert "We replaced the broken tap." in html
    assert "Yes, close the complaint" in html and "No, reopen it" in html


def test_an_unanswered_complaint_offers_neither_confirm_nor_reopen(signed_in, complaint):
    html = signed_in.get(detail_url(complaint)).content.decode()
    assert "Not answered yet." in html and "No, reopen it" not in html


def test_the_resident_confirms_the_answer(signed_in, complaint):
    response = signed_in.post(reverse("resident_portal:complaint_confirm", args=[answered(complaint).pk]))

    complaint.refresh_from_db()
    assert response.status_code == 302 and complaint.status == ComplaintStatus.CONFIRMED


def test_confirming_an_unanswered_complaint_shows_the_domains_message(signed_in, complaint):
    response = signed_in.post(reverse("resident_portal:complaint_confirm", args=[complaint.pk]), follow=True)

    assert "Only an answered complaint can be confirmed or reopened." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN


def test_the_resident_reopens_the_complaint_with_a_reason(signed_in, complaint):
    url = reverse("resident_portal:complaint_reopen", args=[answered(complaint).pk])

    signed_in.post(url, {"reason": "It is broken again."})

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REOPENED


def test_reopening_without_a_reason_is_refused_on_the_reason(signed_in, complaint):
    url = reverse("resident_portal:complaint_reopen", args=[answered(complaint).pk])

    response = signed_in.post(url, {"reason": " "})

    assert response.context["reopen_form"].errors["reason"] == ["Say why the answer does not settle the complaint."]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED


def resident_with_complaints(count):
    resident = factories.ResidentFactory(user=factories.UserFactory())
    project = factories.ProjectFactory(community=resident.community)
    factories.ComplaintFactory.create_batch(count, project=project, resident=resident)
    return resident


def test_the_complaints_page_makes_as_many_queries_for_30_as_for_3(client):
    client.force_login(resident_with_complaints(3).user)
    few = queries_to_get(client, COMPLAINTS)
    client.force_login(resident_with_complaints(30).user)
    assert queries_to_get(client, COMPLAINTS) == few
