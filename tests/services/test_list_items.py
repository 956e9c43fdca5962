"""The service list: one published version per code, eligibility by organisation kind, new versions."""

import pytest

from common.actors import TRUSTED
from partners.models import OrganisationKind
from service_list.models import ListItemStatus, ServiceListItem
from service_list.services import list_item_new_version, list_item_publish
from tests.asserts import database_refuses
from tests.factories import ServiceListItemFactory

pytestmark = pytest.mark.django_db


def test_a_second_published_version_of_a_code_is_refused():
    published = ServiceListItemFactory()

    with database_refuses():
        ServiceListItemFactory(code=published.code, version=2)


def test_a_code_may_have_a_draft_beside_its_published_version():
    published = ServiceListItemFactory()

    draft = ServiceListItemFactory(code=published.code, version=2, draft=True)

    assert draft.status == ListItemStatus.DRAFT


def test_a_version_number_is_used_once_per_code():
    published = ServiceListItemFactory()

    with database_refuses():
        ServiceListItemFactory(code=published.code, version=1, draft=True)


def test_an_item_no_kind_may_deliver_is_refused():
    with database_refuses():
        ServiceListItemFactory(allows_ngo=False, allows_enterprise=False)


def test_a_published_item_needs_a_publication_date():
    with database_refuses():
        ServiceListItemFactory(published_at=None)


def test_publishing_a_version_retires_the_one_it_replaces():
    old = ServiceListItemFactory()
    new = ServiceListItemFactory(code=old.code, version=2, draft=True)

    list_item_publish(item=new, user=TRUSTED)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == ListItemStatus.RETIRED
    assert new.status == ListItemStatus.PUBLISHED and new.published_at is not None
    assert ServiceListItem.objects.published().filter(code=old.code).get() == new


def test_publishing_leaves_other_codes_alone():
    other = ServiceListItemFactory()
    draft = ServiceListItemFactory(draft=True)

    list_item_publish(item=draft, user=TRUSTED)

    other.refresh_from_db()
    assert other.status == ListItemStatus.PUBLISHED


def test_a_new_version_is_a_draft_with_the_next_number():
    published = ServiceListItemFactory(name="Elderly dining hall")

    draft = list_item_new_version(item=published, user=TRUSTED)

    assert draft.pk != published.pk
    assert (draft.code, draft.version, draft.status) == (published.code, 2, ListItemStatus.DRAFT)
    assert draft.published_at is None
    assert draft.name == "Elderly dining hall"
    published.refresh_from_db()
    assert published.status == ListItemStatus.PUBLISHED


def test_a_new_version_of_an_old_version_follows_the_latest_number():
    first = ServiceListItemFactory(status=ListItemStatus.RETIRED)
    ServiceListItemFactory(code=first.code, version=3)

    draft = list_item_new_version(item=first, user=TRUSTED)

    assert draft.version == 4


def test_open_to_kind_lists_the_items_that_kind_may_deliver():
    for_ngos = ServiceListItemFactory(allows_ngo=True, allows_enterprise=False)
    for_enterprises = ServiceListItemFactory(allows_ngo=False, allows_enterprise=True)
    for_residents = ServiceListItemFactory(allows_ngo=False, allows_enterprise=False, allows_resident_group=True)

    assert set(ServiceListItem.objects.open_to_kind(OrganisationKind.NGO)) == {for_ngos}
    assert set(ServiceListItem.objects.open_to_kind(OrganisationKind.ENTERPRISE)) == {for_enterprises}
    assert set(ServiceListItem.objects.open_to_kind(OrganisationKind.RESIDENT_GROUP)) == {for_residents}
    assert not ServiceListItem.objects.open_to_kind(OrganisationKind.GOVERNMENT).exists()


def test_an_item_says_which_kinds_it_allows():
    item = ServiceListItemFactory.build(allows_ngo=True, allows_enterprise=False, allows_government=True)

    assert item.allows_kind(OrganisationKind.NGO)
    assert item.allows_kind(OrganisationKind.GOVERNMENT)
    assert not item.allows_kind(OrganisationKind.ENTERPRISE)
    assert not item.allows_kind(OrganisationKind.RESIDENT_GROUP)
    assert item.eligible_kinds == [OrganisationKind.GOVERNMENT, OrganisationKind.NGO]


def test_publishing_is_audited_and_kept_to_street_and_district_officials():
    from django.core.exceptions import PermissionDenied

    from audit.models import AuditEntry
    from tests.factories import OfficialPostFactory, StreetFactory

    draft = ServiceListItemFactory(status=ListItemStatus.DRAFT, published_at=None)
    community_official = OfficialPostFactory().user
    street_official = OfficialPostFactory(community=None, street=StreetFactory()).user

    with pytest.raises(PermissionDenied):
        list_item_publish(item=draft, user=community_official)
    draft.refresh_from_db()
    assert draft.status == ListItemStatus.DRAFT

    list_item_publish(item=draft, user=street_official)
    new_version = list_item_new_version(item=draft, user=street_official)

    assert AuditEntry.objects.get(object_id=str(draft.pk), action="change").actor == street_official
    assert AuditEntry.objects.get(object_id=str(new_version.pk), action="create").actor == street_official
