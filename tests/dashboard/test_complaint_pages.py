"""Officials handle a complaint from its page: answer, re-route, extend the deadline once, close."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from accountability.models import Complaint, ComplaintStatus
from accountability.services.complaints import complaint_file
from audit.models import AuditAction, AuditEntry
from coproduction.models import ParticipationRole
from tests import factories
from tests.pages import official_of, queries_to_get, staff_of

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"dashboard:{name}", kwargs=kwargs)


@pytest.fixture
def project():
    return factories.ProjectFactory(name="Elderly dining hall")


@pytest.fixture
def community(project):
    return project.community


@pytest.fixture
def official(client, community):
    user = official_of(community)
    client.force_login(user)
    return user


@pytest.fixture
def committee(project):
    residents_committee = factories.OrganisationFactory(government=True, name="Houtai residents' committee")
    return factories.ParticipationFactory(
        project=project, role=ParticipationRole.LEAD, organisation=residents_committee
    )


@pytest.fixture
def provider(project):
    participation = factories.ParticipationFactory(
        project=project, role=ParticipationRole.PROVIDER, organisation__name="Kitchen co-op"
    )
    staff_of(participation.organisation)
    return participation


@pytest.fixture
def complaint(project, committee, provider, official):
    resident = factories.ResidentFactory(community=project.community, user=factories.UserFactory())
    return complaint_file(project=project, resident=resident, subject="Cold meals", body="Cold three days running.")


def post(client, complaint, action, **data):
    return client.post(url(f"complaint_{action}", pk=complaint.pk), {f"{action}-{k}": v for k, v in data.items()})


def test_the_complaint_page_offers_the_four_actions(client, complaint):
    page = client.get(url("complaint_detail", pk=complaint.pk)).content.decode()

    for action in ("answer", "reroute", "extend", "close"):
        assert url(f"complaint_{action}", pk=complaint.pk) in page
    assert "Houtai residents&#x27; committee (answered by the community&#x27;s officials)" in page


def test_an_official_answers_the_complaint(client, complaint, official):
    response = post(client, complaint, "answer", response="Heated trays are on order.")

    assert response.status_code == 302 and response.url == url("complaint_detail", pk=complaint.pk)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.response, complaint.responded_by) == (
        ComplaintStatus.ANSWERED,
        "Heated trays are on order.",
        official,
    )
    page = client.get(response.url).content.decode()
    assert "Answer sent." in page and "Heated trays are on order." in page
    assert url("complaint_answer", pk=complaint.pk) not in page


def test_an_empty_answer_is_refused_on_its_field(client, complaint):
    response = post(client, complaint, "answer", response=" ")

    assert response.context["answer_form"].errors["response"] == ["Write a response."]
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_an_official_reroutes_the_complaint_with_a_reason(client, complaint, committee):
    response = post(client, complaint, "reroute", organisation=committee.organisation_id, reason="The menu is ours.")

    assert response.status_code == 302
    assert Complaint.objects.get().routed_to == committee.organisation
    assert AuditEntry.objects.get(action=AuditAction.CHANGE).note == "The menu is ours."


def test_rerouting_offers_only_the_other_current_participants(client, complaint, project, committee):
    factories.ParticipationFactory(project=project, role=ParticipationRole.CO_FUNDER, left_on="2025-06-30")

    form = client.get(url("complaint_detail", pk=complaint.pk)).context["reroute_form"]

    assert list(form.fields["organisation"].queryset) == [committee.organisation]


def test_a_reroute_without_a_reason_keeps_the_choice_and_says_what_is_missing(client, complaint, committee):
    response = post(client, complaint, "reroute", organisation=committee.organisation_id, reason="")

    form = response.context["reroute_form"]
    assert form.errors["reason"] == ["Say why the complaint goes to another party."]
    assert form["organisation"].value() == str(committee.organisation_id)
    assert Complaint.objects.get().routed_to == complaint.routed_to


def test_a_reroute_without_a_party_says_to_choose_one(client, complaint):
    response = post(client, complaint, "reroute", organisation="", reason="Not theirs.")

    assert response.context["reroute_form"].errors["organisation"] == ["Choose the party the complaint should go to."]
    assert "Not theirs." in response.content.decode()


def test_an_official_extends_the_deadline_once(client, complaint):
    due = complaint.response_due_at

    first = post(client, complaint, "extend", reason="Waiting for a part.")
    page = client.get(url("complaint_detail", pk=complaint.pk)).content.decode()
    second = post(client, complaint, "extend", reason="Still waiting.")

    assert first.status_code == 302 and Complaint.objects.get().response_due_at == due + timedelta(hours=72)
    assert url("complaint_extend", pk=complaint.pk) not in page
    assert second.status_code == 200
    assert "cannot be extended again" in second.content.decode() and "Still waiting." in second.content.decode()
    assert Complaint.objects.get().response_due_at == due + timedelta(hours=72)


def test_an_official_closes_the_complaint_with_a_note(client, complaint, official):
    response = post(client, complaint, "close", note="Settled in person.")

    assert response.status_code == 302
    closed = Complaint.objects.get()
    assert (closed.status, closed.closing_note, closed.closed_by) == (
        ComplaintStatus.CLOSED,
        "Settled in person.",
        official,
    )
    page = client.get(response.url).content.decode()
    assert "Settled in person." in page and url("complaint_close", pk=complaint.pk) not in page


def test_closing_without_a_note_is_refused(client, complaint):
    response = post(client, complaint, "close", note="")

    assert response.context["close_form"].errors["note"] == ["Say why the complaint is closed."]
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_actions_are_refused_to_the_routed_organisation_and_other_communities(client, complaint, provider):
    client.force_login(staff_of(provider.organisation))
    assert post(client, complaint, "close", note="Done.").status_code == 403

    client.force_login(official_of(factories.CommunityFactory()))
    assert post(client, complaint, "close", note="Done.").status_code == 404
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_the_actions_only_accept_a_post(client, complaint):
    assert client.get(url("complaint_close", pk=complaint.pk)).status_code == 405


def test_the_list_shows_who_answers_and_the_deadline(client, complaint, community, committee):
    factories.ComplaintFactory(project=complaint.project, routed_to=committee.organisation, subject="Weeds")

    page = client.get(url("complaint_list", code=community.code)).content.decode()

    assert "Kitchen co-op" in page and "Answered by the community's officials" in page
    assert "Response due" in page


def test_the_list_makes_as_many_queries_for_thirty_as_for_three(client, complaint, community, committee):
    factories.ComplaintFactory.create_batch(2, project=complaint.project, routed_to=committee.organisation)
    small = queries_to_get(client, url("complaint_list", code=community.code))
    factories.ComplaintFactory.create_batch(27, project=complaint.project, routed_to=committee.organisation)

    assert queries_to_get(client, url("complaint_list", code=community.code)) == small


def test_the_complaint_list_is_reached_from_the_community_page(client, complaint, community):
    page = client.get(url("community", code=community.code)).content.decode()

    assert url("complaint_list", code=community.code) in page


def test_the_resident_reads_the_officials_answer_and_its_date(client, complaint, official):
    post(client, complaint, "answer", response="Heated trays are on order.")
    complaint.refresh_from_db()
    client.force_login(complaint.resident.user)

    page = client.get(reverse("resident_portal:complaint", args=[complaint.pk])).content.decode()

    assert "Heated trays are on order." in page
    assert f"Answered on {date_format(localtime(complaint.responded_at), 'SHORT_DATETIME_FORMAT')}" in page


def test_the_resident_reads_why_an_official_closed_the_complaint(client, complaint):
    post(client, complaint, "close", note="Settled in person.")
    client.force_login(complaint.resident.user)

    page = client.get(reverse("resident_portal:complaint", args=[complaint.pk])).content.decode()

    assert "Closed by the community on" in page and "Settled in person." in page
    assert "Not answered yet." not in page


def test_a_complaint_rerouted_to_a_provider_waits_on_the_providers_portal(client, project, committee, official):
    resident = factories.ResidentFactory(community=project.community, user=factories.UserFactory())
    complaint = complaint_file(project=project, resident=resident, subject="Weeds", body="Plot 12 is overgrown.")
    garden = factories.ParticipationFactory(project=project, organisation__name="Garden co-op").organisation
    garden_staff = staff_of(garden)
    assert complaint.routed_to == committee.organisation

    post(client, complaint, "reroute", organisation=garden.pk, reason="The co-op tends the plots.")
    client.force_login(garden_staff)

    assert "Weeds" in client.get(reverse("partner_portal:home")).content.decode()


def test_the_official_sees_the_residents_photo_and_another_community_does_not(client, complaint, settings, tmp_path):
    from django.core.files.base import ContentFile

    from tests.resident_portal.images import tiny_png

    settings.MEDIA_ROOT = tmp_path
    complaint.photo.save("bench.png", ContentFile(tiny_png()))
    page = client.get(url("complaint_detail", pk=complaint.pk)).content.decode()
    assert url("complaint_photo", pk=complaint.pk) in page
    response = client.get(url("complaint_photo", pk=complaint.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"

    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(url("complaint_photo", pk=complaint.pk)).status_code == 404


def test_a_complaint_without_a_photo_has_no_photo_link(client, complaint):
    assert client.get(url("complaint_photo", pk=complaint.pk)).status_code == 404
