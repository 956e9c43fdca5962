"""Residents express needs: recorded for their community, open, audited; refusals write nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEntry
from coproduction.models import Need, NeedStatus
from coproduction.services.needs import need_express
from tests.factories import ResidentFactory, ServiceListItemFactory, UserFactory
from tests.pages import official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return ResidentFactory(user=UserFactory())


def test_a_resident_expresses_a_need_for_their_community(resident):
    item = ServiceListItemFactory()

    need = need_express(
        resident=resident,
        title="  Lunch for the elderly  ",
        description=" Weekdays, near building 3. ",
        service_item=item,
        user=resident.user,
    )

    need.refresh_from_db()
    assert (need.community, need.resident, need.service_item) == (resident.community, resident, item)
    assert (need.title, need.description) == ("Lunch for the elderly", "Weekdays, near building 3.")
    assert need.status == NeedStatus.OPEN


def test_expressing_a_need_writes_an_audit_entry_naming_the_resident(resident):
    need = need_express(resident=resident, title="Benches", description="", user=resident.user)

    entry = AuditEntry.objects.get(object_id=str(need.pk), action=AuditAction.CREATE)
    assert entry.actor == resident.user and entry.after["title"] == "Benches"


def test_an_official_of_the_community_may_write_a_need_down_for_a_resident(resident):
    official = official_of(resident.community)

    need = need_express(resident=resident, title="Ramp at the gate", description="", user=official)

    assert Need.objects.get().pk == need.pk
    assert AuditEntry.objects.get(object_id=str(need.pk)).actor == official


def test_another_user_may_not_express_a_need_for_a_resident(resident):
    with pytest.raises(PermissionDenied):
        need_express(resident=resident, title="Benches", description="", user=UserFactory())
    assert not Need.objects.exists() and not AuditEntry.objects.exists()


def test_a_need_without_a_title_is_refused_on_the_title(resident):
    with pytest.raises(ValidationError) as refusal:
        need_express(resident=resident, title="   ", description="Something", user=resident.user)
    assert refusal.value.error_dict["title"][0].code == "title_required"
    assert not Need.objects.exists() and not AuditEntry.objects.exists()


def test_a_title_longer_than_the_column_is_refused(resident):
    with pytest.raises(ValidationError) as refusal:
        need_express(resident=resident, title="x" * 201, description="", user=resident.user)
    assert refusal.value.error_dict["title"][0].code == "title_too_long"
    assert not Need.objects.exists()


def test_a_need_may_only_point_at_a_published_service(resident):
    with pytest.raises(ValidationError) as refusal:
        need_express(
            resident=resident,
            title="Meals",
            description="",
            service_item=ServiceListItemFactory(draft=True),
            user=resident.user,
        )
    assert refusal.value.error_dict["service_item"][0].code == "service_item_not_published"
    assert not Need.objects.exists() and not AuditEntry.objects.exists()
