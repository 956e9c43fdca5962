"""/inspection-templates/: officials read and write the checklists inspections start from, as on the dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import InspectionTemplate
from audit.models import AuditAction, AuditEntry
from common.actors import TRUSTED
from service_list.services import list_item_new_version, list_item_publish
from tests.factories import (
    MembershipFactory,
    OfficialPostFactory,
    ProjectFactory,
    ServiceListItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspection-templates/"


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def template(project):
    return template_of(project.service_item)


def template_of(service_item, items=("Kitchen clean", "Food kept cold")) -> InspectionTemplate:
    return InspectionTemplate.objects.create(
        service_item=service_item, items=list(items), updated_at=timezone.now(), updated_by=UserFactory()
    )


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def audited(template, action) -> bool:
    return AuditEntry.objects.filter(
        content_type__model="inspectiontemplate", object_id=str(template.pk), action=action
    ).exists()


# --- Reading ---------------------------------------------------------------------------------


def test_an_official_lists_the_templates_of_the_services_their_community_delivers(client_for, official, template):
    template_of(ServiceListItemFactory())  # a service no project of the community delivers

    response = client_for(official).get(URL)

    assert ids(response) == {template.pk}
    row = response.data["results"][0]
    assert (row["service_item"], row["items"]) == (template.service_item_id, ["Kitchen clean", "Food kept cold"])


def test_the_template_of_the_version_before_stays_visible_to_a_project_on_the_new_one(client_for, official, template):
    first = template.service_item
    second = list_item_new_version(item=first, user=TRUSTED)
    list_item_publish(item=second, user=TRUSTED)
    on_the_new_version = OfficialPostFactory(community=ProjectFactory(service_item=second).community).user

    assert ids(client_for(on_the_new_version).get(URL)) == {template.pk}


def test_another_communitys_template_is_a_404(client_for, official):
    elsewhere = template_of(ProjectFactory().service_item)
    assert client_for(official).get(f"{URL}{elsewhere.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["resident", "staff"])
def test_residents_and_staff_see_no_templates(client_for, resident, project, template, who):
    user = resident.user if who == "resident" else MembershipFactory().user
    assert ids(client_for(user).get(URL)) == set()
    assert client_for(user).get(f"{URL}{template.pk}/").status_code == 404


def test_an_administrator_sees_every_template(client_for, administrator, template):
    other = template_of(ServiceListItemFactory())
    assert ids(client_for(administrator).get(URL)) == {template.pk, other.pk}


def test_an_anonymous_caller_is_a_401(client_for):
    assert client_for().get(URL).status_code == 401


def test_the_list_keeps_its_query_count_from_3_to_30_rows(client_for, administrator, django_assert_num_queries):
    client = client_for(administrator)
    for _ in range(3):
        template_of(ServiceListItemFactory())
    with CaptureQueriesContext(connection) as at_three:
        assert client.get(URL).status_code == 200
    for _ in range(27):
        template_of(ServiceListItemFactory())
    with django_assert_num_queries(len(at_three)):
        assert client.get(URL).data["count"] == 30


# --- Writing ---------------------------------------------------------------------------------


def written(project, community, **overrides) -> dict:
    return {
        "service_item": project.service_item_id,
        "community": community.pk,
        "items": [" Kitchen clean ", "", "Food kept cold"],
        **overrides,
    }


def test_an_official_writes_the_template_of_a_service_their_community_delivers(
    client_for, official, project, community
):
    response = client_for(official).post(URL, written(project, community), format="json")

    assert response.status_code == 201
    template = InspectionTemplate.objects.get(service_item=project.service_item)
    assert (template.items, template.updated_by) == (["Kitchen clean", "Food kept cold"], official)
    assert response.data["items"] == ["Kitchen clean", "Food kept cold"]
    assert audited(template, AuditAction.CREATE)


def test_writing_an_item_that_has_a_template_replaces_its_items(client_for, official, project, community, template):
    response = client_for(official).post(URL, written(project, community, items=["Hands washed"]), format="json")

    assert response.status_code == 200 and response.data["id"] == template.pk
    template.refresh_from_db()
    assert template.items == ["Hands washed"]
    assert InspectionTemplate.objects.count() == 1


def test_an_official_updates_a_template(client_for, official, community, template):
    body = {"community": community.pk, "items": ["Hands washed", "Fridge below 5°C"]}
    response = client_for(official).post(f"{URL}{template.pk}/update/", body, format="json")

    assert response.status_code == 200
    template.refresh_from_db()
    assert (template.items, template.updated_by) == (["Hands washed", "Fridge below 5°C"], official)
    assert audited(template, AuditAction.CHANGE)


def test_an_empty_checklist_is_refused_with_nothing_written(client_for, official, project, community):
    response = client_for(official).post(URL, written(project, community, items=["", "  "]), format="json")

    assert response.status_code == 400
    assert response.data["code"] == "checklist_empty"
    assert response.data["errors"] == {"items": ["List at least one checklist item."]}
    assert not InspectionTemplate.objects.exists()


def test_a_repeated_item_is_refused(client_for, official, community, template):
    body = {"community": community.pk, "items": ["Hands washed", "Hands washed"]}
    response = client_for(official).post(f"{URL}{template.pk}/update/", body, format="json")

    assert response.status_code == 400 and response.data["code"] == "item_repeated"
    template.refresh_from_db()
    assert template.items == ["Kitchen clean", "Food kept cold"]


def test_a_service_the_community_does_not_deliver_is_refused(client_for, official, community, project):
    other_item = ServiceListItemFactory()
    response = client_for(official).post(URL, written(project, community, service_item=other_item.pk), format="json")

    assert response.status_code == 400
    assert response.data["errors"] == {"service_item": ["No project of this community delivers this service."]}
    assert not InspectionTemplate.objects.exists()


def test_acting_for_another_community_is_a_404(client_for, official, project, other_community):
    response = client_for(official).post(URL, written(project, other_community), format="json")

    assert response.status_code == 404
    assert not InspectionTemplate.objects.exists()


def test_a_resident_may_not_write_one(client_for, resident, project, community):
    response = client_for(resident.user).post(URL, written(project, community), format="json")

    assert response.status_code == 403
    assert set(response.data) == {"message", "code", "errors"}
    assert not InspectionTemplate.objects.exists()


def test_updating_another_communitys_template_is_a_404(client_for, official, community):
    elsewhere = template_of(ProjectFactory().service_item)
    body = {"community": community.pk, "items": ["Hands washed"]}
    assert client_for(official).post(f"{URL}{elsewhere.pk}/update/", body, format="json").status_code == 404
