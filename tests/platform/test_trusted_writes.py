"""Trusted and checked writes are told apart by the `user` a service is given, never by its absence."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from common.actors import TRUSTED, acting_user, is_trusted
from coproduction.models import ContributionKind
from coproduction.services.projects import contribution_add
from partners.selectors.resident_export import resident_data
from service_list.models import ListItemStatus
from service_list.services import list_item_publish
from tests.factories import ParticipationFactory, ResidentFactory, ServiceListItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_trusted_is_the_platform_and_records_no_account():
    user = UserFactory()
    assert is_trusted(TRUSTED) and not is_trusted(user) and not is_trusted(None)
    assert acting_user(TRUSTED) is None and acting_user(user) is user
    assert not TRUSTED  # never taken for a signed-in user by a truthiness test


def test_a_service_called_without_a_user_is_refused_before_it_writes():
    draft = ServiceListItemFactory(status=ListItemStatus.DRAFT)
    with pytest.raises(TypeError):
        list_item_publish(item=draft)
    draft.refresh_from_db()
    assert draft.status == ListItemStatus.DRAFT


def test_the_platform_publishes_without_a_permission_check_and_its_audit_entry_names_no_one():
    draft = ServiceListItemFactory(status=ListItemStatus.DRAFT)
    list_item_publish(item=draft, user=TRUSTED)
    assert draft.status == ListItemStatus.PUBLISHED
    assert AuditEntry.objects.get(object_id=str(draft.pk), action="change").actor is None


@pytest.mark.parametrize("user", [AnonymousUser(), "someone"], ids=["anonymous", "signed_in_without_a_role"])
def test_a_person_without_the_role_is_checked_and_refused(user):
    participation = ParticipationFactory()
    acting = UserFactory() if user == "someone" else user
    with pytest.raises(PermissionDenied):
        contribution_add(
            participation=participation,
            kind=ContributionKind.MONEY,
            value=Decimal("10"),
            contributed_on=date(2025, 2, 1),
            user=acting,
        )
    assert not participation.contributions.exists()


def test_the_platform_may_read_a_residents_export_but_another_account_may_not():
    resident = ResidentFactory()
    assert resident_data(resident=resident, user=TRUSTED)["profile"]["id"] == resident.pk
    with pytest.raises(PermissionDenied):
        resident_data(resident=resident, user=UserFactory())
