"""What is public by its state: the `public()` rules of projects, calls and service-list items."""

import pytest

from coproduction.models import Call, CallStatus, Project, Stage
from service_list.models import ListItemStatus, ServiceListItem
from tests import factories
from tests.transparency.public_record import award

pytestmark = pytest.mark.django_db


def test_projects_are_public_from_operation_on():
    public = [factories.ProjectFactory(stage=stage) for stage in (Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED)]
    factories.ProjectFactory(stage=Stage.DESIGN)
    assert set(Project.objects.public()) == set(public)


def test_calls_are_public_when_open_or_awarded():
    public = [factories.CallFactory(), award(factories.CallFactory(), factories.OrganisationFactory())]
    factories.CallFactory(status=CallStatus.REVIEWING)
    factories.CallFactory(status=CallStatus.CANCELLED)
    assert set(Call.objects.public()) == set(public)


def test_only_the_published_version_of_a_service_item_is_public():
    published = factories.ServiceListItemFactory(code="dining", version=2)
    factories.ServiceListItemFactory(code="dining", version=1, status=ListItemStatus.RETIRED)
    factories.ServiceListItemFactory(draft=True)
    assert list(ServiceListItem.objects.public()) == [published]
