"""A project in design moves from a retired version of its service to the published one; a call names the way."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from common.actors import TRUSTED
from coproduction.models import CallStatus, Stage
from coproduction.services.projects import project_adopt_current_service_version
from coproduction.services.selection import call_open
from service_list.models import ListItemStatus, ServiceListItem
from service_list.services import list_item_new_version, list_item_publish
from tests.factories import CallFactory, CommunityFactory, ProjectFactory, ServiceListItemFactory
from tests.pages import official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    """A project in design set up under version 1 of Housekeeping, since replaced by version 2."""
    first = ServiceListItemFactory(code="housekeeping", name="Housekeeping")
    project = ProjectFactory(stage=Stage.DESIGN, service_item=first)
    list_item_publish(item=list_item_new_version(item=first, user=TRUSTED), user=TRUSTED)
    return project


def refusal_code(caught) -> str:
    return caught.value.error_list[0].code


def test_the_project_moves_to_the_published_version(project):
    moved = project_adopt_current_service_version(project=project, user=official_of(project.community))

    assert (moved.service_item.version, moved.service_item.status) == (2, ListItemStatus.PUBLISHED)
    project.refresh_from_db()
    assert project.service_item.version == 2


@pytest.mark.parametrize("stage", [Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED])
def test_a_project_past_design_keeps_the_version_it_was_delivered_under(project, stage):
    project.stage = stage
    project.save()

    with pytest.raises(ValidationError) as caught:
        project_adopt_current_service_version(project=project, user=official_of(project.community))

    assert refusal_code(caught) == "project_not_in_design"
    assert "keeps Housekeeping, version 1" in caught.value.messages[0]


def test_a_project_on_the_published_version_is_refused():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        project_adopt_current_service_version(project=project, user=official_of(project.community))

    assert refusal_code(caught) == "already_current"


def test_without_a_published_version_the_refusal_says_who_publishes_one():
    retired = ServiceListItemFactory(name="Housekeeping", status=ListItemStatus.RETIRED)
    project = ProjectFactory(stage=Stage.DESIGN, service_item=retired)

    with pytest.raises(ValidationError) as caught:
        project_adopt_current_service_version(project=project, user=official_of(project.community))

    assert refusal_code(caught) == "no_published_version"
    assert "No version of Housekeeping is published yet" in caught.value.messages[0]


def test_a_call_still_choosing_partners_under_the_old_version_is_decided_first(project):
    CallFactory(project=project, title="Housekeeping partners", status=CallStatus.OPEN)

    with pytest.raises(ValidationError) as caught:
        project_adopt_current_service_version(project=project, user=official_of(project.community))

    assert refusal_code(caught) == "call_undecided"
    project.refresh_from_db()
    assert project.service_item.version == 1


def test_only_an_official_of_the_projects_community_moves_it(project):
    with pytest.raises(PermissionDenied):
        project_adopt_current_service_version(project=project, user=official_of(CommunityFactory()))


def test_a_call_on_a_retired_version_names_it_and_the_way_forward(project):
    with pytest.raises(ValidationError) as caught:
        call_open(
            project=project,
            title="Partners",
            deadline=timezone.now() + timedelta(days=30),
            criteria=[("Quality", 100)],
            user=official_of(project.community),
        )

    assert refusal_code(caught) == "item_retired"
    message = caught.value.messages[0]
    assert message.startswith("Housekeeping, version 1 is retired")
    assert "“Move to the current version” on the project's page" in message


def test_the_api_moves_the_project_through_the_same_service(project):
    client = APIClient()
    client.force_login(official_of(project.community))
    url = f"/api/v1/projects/{project.pk}/adopt-current-service-version/"

    moved = client.post(url)
    again = client.post(url)

    assert moved.status_code == 200
    assert moved.data["service_item"] == ServiceListItem.objects.get(code="housekeeping", version=2).pk
    assert again.status_code == 409 and again.data["code"] == "already_current"
