"""Completing a duty and answering a complaint from the portal, through the domain services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import ComplaintStatus, DutyCompletion, DutyStatus
from tests import factories
from tests.pages import resident_user_of, staff_of

pytestmark = pytest.mark.django_db


def complete_url(duty):
    return reverse("partner_portal:duty_complete", args=[duty.pk])


def answer_url(complaint):
    return reverse("partner_portal:complaint_answer", args=[complaint.pk])


@pytest.fixture
def duty(provider):
    return factories.DutyFactory(
        project=provider.project,
        accountable=provider,
        title="Kitchen check",
        next_due_on=timezone.localdate() - timedelta(days=1),
    )


@pytest.fixture
def complaint(provider):
    return factories.ComplaintFactory(project=provider.project, routed_to=provider.organisation, subject="Cold meals")


def test_the_duty_page_shows_the_duty_and_the_evidence_field(client, staff, duty):
    client.force_login(staff)
    response = client.get(complete_url(duty))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kitchen check" in html and 'for="id_evidence"' in html


def test_staff_complete_a_duty_with_evidence(client, staff, duty):
    client.force_login(staff)

    response = client.post(complete_url(duty), {"evidence": "Signed checklist", "due_on": duty.next_due_on})

    assert response.status_code == 302 and response.url == complete_url(duty)
    completion = DutyCompletion.objects.get(duty=duty)
    assert completion.evidence == "Signed checklist" and completion.completed_by == staff
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE


def test_completing_without_evidence_is_refused_inline_and_writes_nothing(client, staff, duty):
    client.force_login(staff)

    response = client.post(complete_url(duty), {"evidence": "  ", "due_on": duty.next_due_on})

    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == ["Describe the evidence that the duty was done."]
    assert not DutyCompletion.objects.exists()


def test_an_occurrence_completed_meanwhile_is_refused_at_the_top_of_the_form(client, staff, duty):
    due_on = duty.next_due_on
    factories.DutyCompletionFactory(duty=duty, due_on=due_on)
    client.force_login(staff)

    response = client.post(complete_url(duty), {"evidence": "Signed checklist", "due_on": due_on})

    assert response.status_code == 200
    top_of_form = response.content.decode().split('class="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "already been completed" in top_of_form
    assert DutyCompletion.objects.count() == 1


def test_staff_of_an_organisation_not_answerable_for_the_duty_are_refused(client, duty):
    bystander = factories.ParticipationFactory(project=duty.project)
    client.force_login(staff_of(bystander.organisation))

    response = client.post(complete_url(duty), {"evidence": "Done", "due_on": duty.next_due_on})

    assert response.status_code == 403
    assert not DutyCompletion.objects.exists()


def test_a_duty_of_a_project_the_user_cannot_see_is_not_found(client, duty):
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(complete_url(duty)).status_code == 404


def test_residents_may_not_open_the_duty_page(client, duty):
    client.force_login(resident_user_of(duty.project.community))
    assert client.get(complete_url(duty)).status_code == 403


def test_staff_answer_a_complaint_routed_to_them(client, staff, complaint):
    client.force_login(staff)
    assert "Cold meals" in client.get(answer_url(complaint)).content.decode()

    response = client.post(answer_url(complaint), {"response": "Meals now leave the kitchen in warm boxes."})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    assert complaint.response == "Meals now leave the kitchen in warm boxes." and complaint.responded_by == staff


def test_an_empty_answer_is_refused_inline_and_the_complaint_still_waits(client, staff, complaint):
    client.force_login(staff)

    response = client.post(answer_url(complaint), {"response": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["response"] == ["Write a response."]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN and complaint.response == ""


def test_a_complaint_routed_elsewhere_is_not_found(client, complaint):
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(answer_url(complaint)).status_code == 404
