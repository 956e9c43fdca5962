"""Officials' inspection pages: inspections per community and project, and recording one with its checklist."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Breach, BreachKind, Inspection, InspectionResult
from audit.models import AuditEntry
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of

pytestmark = pytest.mark.django_db


def list_url(community, query=""):
    return reverse("dashboard:inspection_list", kwargs={"code": community.code}) + query


def record_url(community):
    return reverse("dashboard:inspection_record", kwargs={"code": community.code})


@pytest.fixture
def participation():
    return factories.ParticipationFactory()


@pytest.fixture
def community(participation):
    return participation.project.community


@pytest.fixture
def official(community):
    return official_of(community)


def checklist(*rows, total=4):
    """POST data of the checklist formset: rows of (item, passed, note), then blank rows up to `total`."""
    data = {"checklist-TOTAL_FORMS": str(total), "checklist-INITIAL_FORMS": "0"}
    for index, (item, passed, note) in enumerate(rows):
        data |= {f"checklist-{index}-item": item, f"checklist-{index}-passed": passed, f"checklist-{index}-note": note}
    return data


def inspection_data(participation, *rows, inspected_on=None, notes=""):
    return {
        "project": participation.project.pk, "organisation": participation.organisation.pk,
        "inspected_on": (inspected_on or timezone.localdate()).isoformat(), "notes": notes,
        **checklist(*rows),
    }


def test_visitors_are_sent_to_the_login_page(client, community):
    response = client.get(record_url(community))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_are_refused(client, community):
    client.force_login(resident_user_of(community))
    assert client.get(list_url(community)).status_code == 403


def test_another_communitys_inspections_are_not_found(client, community):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(list_url(community)).status_code == 404
    assert client.get(record_url(community)).status_code == 404


def test_the_list_shows_the_communitys_inspections_with_their_checklist(client, participation, community, official):
    inspection = factories.InspectionFactory(project=participation.project, organisation=participation.organisation)
    factories.InspectionFactory()  # another community's
    client.force_login(official)

    response = client.get(list_url(community))

    assert list(response.context["inspections"]) == [inspection]
    assert "Kitchen clean" in response.content.decode()


def test_the_list_filters_by_project(client, participation, community, official):
    other = factories.InspectionFactory(project=factories.ProjectFactory(community=community))
    factories.InspectionFactory(project=participation.project)
    client.force_login(official)
    assert list(client.get(list_url(community, f"?project={other.project.pk}")).context["inspections"]) == [other]


def test_the_list_makes_as_many_queries_for_thirty_inspections_as_for_three(client, community, official):
    client.force_login(official)
    factories.InspectionFactory.create_batch(3, project=factories.ProjectFactory(community=community))
    small = queries_to_get(client, list_url(community))
    factories.InspectionFactory.create_batch(27, project=factories.ProjectFactory(community=community))
    assert queries_to_get(client, list_url(community)) == small


def test_the_form_offers_blank_checklist_rows_without_javascript(client, community, official):
    client.force_login(official)
    response = client.get(record_url(community))
    assert len(response.context["checklist"].forms) == 4
    assert 'name="checklist-TOTAL_FORMS"' in response.content.decode()


def test_add_more_rows_reloads_the_form_with_what_was_typed_and_more_blank_rows(client, participation, official):
    client.force_login(official)
    data = inspection_data(participation, ("Kitchen clean", "yes", "spotless"), notes="Lunch service")
    data["more_rows"] = "1"

    response = client.post(record_url(participation.project.community), data)

    rows = response.context["checklist"].forms
    assert len(rows) == 5
    assert rows[0]["item"].value() == "Kitchen clean" and rows[0]["passed"].value() == "yes"
    assert response.context["form"]["notes"].value() == "Lunch service"
    assert not response.context["form"].errors
    assert not Inspection.objects.exists()


def test_an_official_records_a_passed_inspection(client, participation, official):
    client.force_login(official)

    response = client.post(
        record_url(participation.project.community),
        inspection_data(participation, ("Kitchen clean", "yes", ""), ("Food kept cold", "yes", "4°C")),
    )

    inspection = Inspection.objects.get()
    assert response.status_code == 302 and f"?project={participation.project.pk}" in response.url
    assert inspection.result == InspectionResult.PASSED and inspection.inspector == official
    assert inspection.checklist == [
        {"item": "Kitchen clean", "passed": True, "note": ""},
        {"item": "Food kept cold", "passed": True, "note": "4°C"},
    ]


def test_a_failed_inspection_opens_a_breach(client, participation, official):
    client.force_login(official)
    client.post(
        record_url(participation.project.community),
        inspection_data(participation, ("Kitchen clean", "no", "grease"), ("Food kept cold", "no", "")),
    )
    inspection = Inspection.objects.get()
    assert inspection.result == InspectionResult.FAILED
    assert Breach.objects.get().kind == BreachKind.FAILED_INSPECTION


def test_an_unmarked_item_is_refused_with_the_input_kept_and_nothing_written(client, participation, official):
    client.force_login(official)
    entries = AuditEntry.objects.count()

    response = client.post(
        record_url(participation.project.community),
        inspection_data(participation, ("Kitchen clean", "", "not checked"), notes="Morning visit"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Say whether “Kitchen clean” passed."]
    assert response.context["checklist"].forms[0]["note"].value() == "not checked"
    assert response.context["form"]["notes"].value() == "Morning visit"
    assert not Inspection.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_an_empty_checklist_is_refused(client, participation, official):
    client.force_login(official)
    response = client.post(record_url(participation.project.community), inspection_data(participation))
    assert response.context["form"].non_field_errors() == ["List at least one checklist item."]
    assert not Inspection.objects.exists()


def test_a_future_date_is_refused_on_its_field(client, participation, official):
    client.force_login(official)
    response = client.post(
        record_url(participation.project.community),
        inspection_data(
            participation, ("Kitchen clean", "yes", ""), inspected_on=timezone.localdate() + timedelta(days=2)
        ),
    )
    assert response.context["form"].errors["inspected_on"] == ["An inspection cannot be recorded for a future date."]
    assert not Inspection.objects.exists()


def test_an_organisation_outside_the_project_is_refused_on_its_field(client, participation, community, official):
    elsewhere = factories.ParticipationFactory(project=factories.ProjectFactory(community=community))
    client.force_login(official)
    data = inspection_data(participation, ("Kitchen clean", "yes", "")) | {"organisation": elsewhere.organisation.pk}
    response = client.post(record_url(community), data)
    refusal = "The inspected organisation must take part in the project."
    assert response.context["form"].errors["organisation"] == [refusal]
    assert not Inspection.objects.exists()
