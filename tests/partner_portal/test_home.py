"""The partner portal home: organisations and projects, duties, complaints and returned reports."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import ComplaintStatus, DutyStatus, RaciRole
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of, staff_of
from tests.partner_portal.making import returned_report

pytestmark = pytest.mark.django_db
HOME = reverse("partner_portal:home")


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_users_of_no_organisation_are_refused(client):
    client.force_login(official_of(factories.CommunityFactory()))
    response = client.get(HOME)
    assert response.status_code == 403
    assert b"This page is for the staff of partner organisations." in response.content


def test_residents_are_refused(client):
    client.force_login(resident_user_of(factories.CommunityFactory()))
    assert client.get(HOME).status_code == 403


def test_staff_see_their_organisations_and_their_projects(client):
    part = factories.ParticipationFactory(project__name="Dining hall", organisation__name="Sunshine NGO")
    factories.ParticipationFactory(project__name="Someone else's")
    client.force_login(staff_of(part.organisation))

    response = client.get(HOME)

    [organisation] = response.context["organisations"]
    assert organisation == part.organisation
    assert [listed.project for listed in organisation.project_parts] == [part.project]
    html = response.content.decode()
    assert "Sunshine NGO" in html and "Dining hall" in html and "Someone else" not in html
    assert reverse("partner_portal:project_reports", args=[part.project_id]) in html


def test_duties_list_overdue_first_with_the_days_overdue(client, provider, staff):
    today = timezone.localdate()
    later = factories.DutyFactory(
        project=provider.project, accountable=provider, title="Weekly menu", next_due_on=today + timedelta(days=3)
    )
    overdue = factories.DutyFactory(
        project=provider.project, accountable=provider, title="Kitchen check", next_due_on=today - timedelta(days=4)
    )
    client.force_login(staff)

    response = client.get(HOME)

    assert response.context["duties"] == [overdue, later]
    assert [duty.days_overdue for duty in response.context["duties"]] == [4, 0]
    assert "4 days overdue" in response.content.decode()


def test_duties_include_those_the_organisation_is_responsible_for_and_leave_out_others(client, provider, staff):
    responsible = factories.DutyAssignmentFactory(
        participation=provider, duty__project=provider.project, role=RaciRole.RESPONSIBLE
    ).duty
    factories.DutyAssignmentFactory(participation=provider, duty__project=provider.project, role=RaciRole.INFORMED)
    factories.DutyFactory(project=provider.project, accountable=provider, status=DutyStatus.DONE)
    factories.DutyFactory(project=provider.project)  # another participant's
    client.force_login(staff)

    assert client.get(HOME).context["duties"] == [responsible]


def test_complaints_routed_to_the_organisation_await_an_answer(client, provider, staff):
    waiting = factories.ComplaintFactory(
        project=provider.project, routed_to=provider.organisation, subject="Cold meals"
    )
    factories.ComplaintFactory(
        project=provider.project,
        routed_to=provider.organisation,
        status=ComplaintStatus.ANSWERED,
        response="Fixed.",
        responded_at=timezone.now(),
    )
    factories.ComplaintFactory(project=provider.project, subject="Not ours")
    client.force_login(staff)

    response = client.get(HOME)

    assert list(response.context["complaints"]) == [waiting]
    html = response.content.decode()
    assert "Cold meals" in html and "Not ours" not in html
    assert reverse("partner_portal:complaint_answer", args=[waiting.pk]) in html


def test_returned_reports_show_the_reviewers_comment(client, provider, staff):
    report = returned_report(project=provider.project, organisation=provider.organisation)
    factories.ServiceReportFactory(
        project=provider.project, organisation=provider.organisation, period_start="2025-04-01", period_end="2025-04-30"
    )
    client.force_login(staff)

    response = client.get(HOME)

    assert list(response.context["returned_reports"]) == [report]
    assert "Add the receipts." in response.content.decode()


def make_organisation_with_work(count):
    """An organisation taking part in `count` projects, each with a duty, a complaint and a returned report."""
    organisation = factories.OrganisationFactory()
    for part in factories.ParticipationFactory.create_batch(count, organisation=organisation):
        factories.DutyFactory(project=part.project, accountable=part)
        factories.ComplaintFactory(project=part.project, routed_to=organisation)
        returned_report(project=part.project, organisation=organisation)
    return organisation


def test_the_home_makes_as_many_queries_for_30_projects_as_for_3(client):
    client.force_login(staff_of(make_organisation_with_work(3)))
    few = queries_to_get(client, HOME)
    client.force_login(staff_of(make_organisation_with_work(30)))
    assert queries_to_get(client, HOME) == few


def test_a_project_the_organisation_leads_and_provides_is_listed_once_with_both_roles(client):
    lead = factories.ParticipationFactory(project__name="Dining hall", role="lead")
    factories.ParticipationFactory(project=lead.project, organisation=lead.organisation, role="provider")
    client.force_login(staff_of(lead.organisation))

    response = client.get(HOME)

    [organisation] = response.context["organisations"]
    [part] = organisation.project_parts
    assert part.project == lead.project and len(part.roles) == 2
    assert response.content.decode().count(reverse("partner_portal:project_reports", args=[lead.project_id])) == 1
