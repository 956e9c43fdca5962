"""/inspections/: officials record checklists; whoever sees the project reads them; a failure opens a breach."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import Breach, BreachKind, Inspection, InspectionPhoto, InspectionResult
from audit.models import AuditAction, AuditEntry
from tests.factories import (
    InspectionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def provider(project):
    return ParticipationFactory(project=project)


@pytest.fixture
def inspection(project, provider):
    return InspectionFactory(project=project, organisation=provider.organisation)


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def checklist(*passed: bool) -> list[dict]:
    return [{"item": f"Item {number}", "passed": ok, "note": ""} for number, ok in enumerate(passed, start=1)]


def recorded(project, organisation, **overrides):
    return {
        "project": project.pk,
        "organisation": organisation.pk,
        "inspected_on": str(timezone.localdate()),
        "checklist": checklist(True, True),
        "notes": "Spot check at lunch.",
        **overrides,
    }


# --- Reading ---------------------------------------------------------------------------------


def test_an_official_lists_the_inspections_of_their_community(client_for, official, inspection):
    InspectionFactory()
    response = client_for(official).get("/api/v1/inspections/")
    assert ids(response) == {inspection.pk}
    assert response.data["results"][0]["checklist"] == [{"item": "Kitchen clean", "passed": True, "note": ""}]


def test_a_resident_reads_the_inspections_of_their_communitys_projects(client_for, resident, inspection):
    InspectionFactory()
    assert ids(client_for(resident.user).get("/api/v1/inspections/")) == {inspection.pk}
    assert client_for(resident.user).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 200


def test_staff_of_the_inspected_organisation_read_its_inspection(client_for, inspection, provider):
    staff = MembershipFactory(organisation=provider.organisation).user
    assert ids(client_for(staff).get("/api/v1/inspections/")) == {inspection.pk}


def test_another_communitys_inspection_is_a_404(client_for, official):
    assert client_for(official).get(f"/api/v1/inspections/{InspectionFactory().pk}/").status_code == 404


def test_an_administrator_sees_every_communitys_inspections(client_for, administrator, inspection):
    other = InspectionFactory()
    assert ids(client_for(administrator).get("/api/v1/inspections/")) == {inspection.pk, other.pk}
    assert client_for(administrator).get(f"/api/v1/inspections/{other.pk}/").status_code == 200


def test_an_anonymous_caller_is_a_401(client_for, inspection):
    assert client_for().get("/api/v1/inspections/").status_code == 401


def test_inspections_are_filtered_by_result_organisation_and_date(client_for, official, project, provider, inspection):
    InspectionFactory(project=project, organisation=provider.organisation, result=InspectionResult.FAILED)
    InspectionFactory(project=project, result=InspectionResult.PASSED)
    InspectionFactory(project=project, organisation=provider.organisation, inspected_on=date(2024, 5, 1))
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    url = f"/api/v1/inspections/?result=passed&organisation={provider.organisation_id}&inspected_on_after={since}"
    assert ids(client_for(official).get(url)) == {inspection.pk}


# --- Recording -------------------------------------------------------------------------------


def test_an_official_records_a_passed_inspection(client_for, official, project, provider):
    body = recorded(project, provider.organisation)
    response = client_for(official).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 201
    inspection = Inspection.objects.get(project=project)
    assert response.data["id"] == inspection.pk and response.data["result"] == InspectionResult.PASSED
    assert (inspection.inspector, inspection.organisation, len(inspection.checklist)) == (
        official,
        provider.organisation,
        2,
    )
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection),
        object_id=str(inspection.pk),
        action=AuditAction.CREATE,
        actor=official,
    ).exists()
    assert not Breach.objects.exists()


def test_a_failed_inspection_opens_a_breach_of_the_inspected_organisation(client_for, official, project, provider):
    body = recorded(project, provider.organisation, checklist=checklist(True, False, False))
    response = client_for(official).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 201
    assert response.data["result"] == InspectionResult.FAILED
    breach = Breach.objects.get()
    assert (breach.kind, breach.organisation, breach.inspection_id) == (
        BreachKind.FAILED_INSPECTION,
        provider.organisation,
        response.data["id"],
    )


def test_an_empty_checklist_is_a_400_on_the_checklist(client_for, official, project, provider):
    body = recorded(project, provider.organisation, checklist=[])
    response = client_for(official).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "checklist_empty"
    assert response.data["errors"] == {"checklist": ["List at least one checklist item."]}
    assert not Inspection.objects.exists()


def test_a_checklist_item_without_its_mark_is_a_400(client_for, official, project, provider):
    body = recorded(project, provider.organisation, checklist=[{"item": "Kitchen clean"}])
    response = client_for(official).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"checklist.0.passed": ["This field is required."]}
    assert not Inspection.objects.exists()


def test_a_checklist_naming_an_item_twice_is_a_400(client_for, official, project, provider):
    repeated = [{"item": "Kitchen clean", "passed": True}, {"item": "Kitchen clean", "passed": False}]
    body = recorded(project, provider.organisation, checklist=repeated)
    response = client_for(official).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "item_repeated"
    assert not Inspection.objects.exists()


def test_an_inspection_of_an_organisation_outside_the_project_is_a_400(client_for, official, project):
    body = recorded(project, OrganisationFactory(), inspected_on=str(timezone.localdate() + timedelta(days=2)))
    response = client_for(official).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"organisation", "inspected_on"}
    assert not Inspection.objects.exists()


def test_staff_may_not_record_inspections(client_for, project, provider):
    staff = MembershipFactory(organisation=provider.organisation).user
    response = client_for(staff).post("/api/v1/inspections/", recorded(project, provider.organisation), format="json")
    assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_inspecting_another_communitys_project_is_a_404(client_for, official):
    elsewhere = ParticipationFactory()
    body = recorded(elsewhere.project, elsewhere.organisation)
    assert client_for(official).post("/api/v1/inspections/", body, format="json").status_code == 404
    assert not Inspection.objects.exists()


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_list_keeps_its_query_count_from_5_to_50_rows(client_for, official, project, django_assert_num_queries):
    client = client_for(official)
    for _ in range(5):
        InspectionFactory(project=project)
    at_five = queries_for(client, "/api/v1/inspections/")
    for _ in range(45):
        InspectionFactory(project=project)
    with django_assert_num_queries(at_five):
        response = client.get("/api/v1/inspections/")
    assert response.data["count"] == 50


def test_an_inspections_photos_are_listed_and_downloaded_by_whoever_reads_it(client_for, official, inspection):
    photo = InspectionPhoto(
        inspection=inspection, content_type="image/png", width=4, height=3, uploaded_at=timezone.now()
    )
    photo.image.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n stored bytes"), save=True)
    client = client_for(official)

    listed = client.get(f"/api/v1/inspections/{inspection.pk}/").data["photos"]

    assert [(row["id"], row["width"], row["height"]) for row in listed] == [(photo.pk, 4, 3)]
    download = client.get(listed[0]["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == f'attachment; filename="inspection-{inspection.pk}-{photo.pk}.png"'
    assert client.get(f"/api/v1/inspections/{inspection.pk}/photos/{photo.pk + 1}/").status_code == 404
