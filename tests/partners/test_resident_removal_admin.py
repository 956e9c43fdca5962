"""The admin's "remove accounts" action: a confirmation page, then resident_remove() for each resident."""

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from coproduction.models import ClaimStatus
from partners.models import Resident
from tests.factories import ClaimFactory, OfficialPostFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:partners_resident_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def act(client, residents, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": "remove_accounts",
            helpers.ACTION_CHECKBOX_NAME: [resident.pk for resident in residents],
            **extra,
        },
    )


def test_the_action_first_asks_for_confirmation_and_changes_nothing(admin_client):
    resident = ResidentFactory(name="王芳", user=UserFactory())

    response = act(admin_client, [resident])

    assert response.status_code == 200
    page = response.content.decode()
    assert "王芳" in page and "cannot be undone" in page and 'name="confirmed" value="yes"' in page
    resident.refresh_from_db()
    assert resident.removed_at is None and resident.name == "王芳"


def test_confirmed_it_removes_each_resident_through_the_service(admin_client):
    residents = [ResidentFactory(user=UserFactory()) for _ in range(2)]
    claim = ClaimFactory(resident=residents[0])

    response = act(admin_client, residents, confirmed="yes")

    assert response.status_code == 302
    for resident in Resident.objects.filter(pk__in=[resident.pk for resident in residents]):
        assert resident.removed_at is not None and resident.phone == ""
        assert AuditEntry.objects.filter(action=AuditAction.ANONYMISE, object_id=str(resident.pk)).exists()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED
    assert "Removed 2 residents' accounts." in [str(message) for message in get_messages(response.wsgi_request)]


def test_a_resident_whose_login_is_also_an_official_s_is_refused_by_name_and_the_others_removed(admin_client):
    official = OfficialPostFactory().user
    shared = ResidentFactory(name="李强", user=official)
    other = ResidentFactory(user=UserFactory())

    response = act(admin_client, [shared, other], confirmed="yes")

    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(message.startswith("李强: ") and "cannot be removed here" in message for message in said)
    assert "Removed 1 resident's account." in said
    shared.refresh_from_db()
    other.refresh_from_db()
    assert shared.removed_at is None and other.removed_at is not None


def test_a_resident_already_removed_is_left_as_it_was(admin_client):
    resident = ResidentFactory(user=UserFactory())
    act(admin_client, [resident], confirmed="yes")
    removed_at = Resident.objects.get(pk=resident.pk).removed_at

    response = act(admin_client, [resident], confirmed="yes")

    assert "Removed 0 residents' accounts." in [str(message) for message in get_messages(response.wsgi_request)]
    assert Resident.objects.get(pk=resident.pk).removed_at == removed_at
    assert AuditEntry.objects.filter(action=AuditAction.ANONYMISE, object_id=str(resident.pk)).count() == 1


def test_staff_without_the_change_permission_are_not_offered_the_action(client):
    client.force_login(UserFactory(is_staff=True))
    resident = ResidentFactory(user=UserFactory())

    response = act(client, [resident], confirmed="yes")

    assert response.status_code == 403
    resident.refresh_from_db()
    assert resident.removed_at is None
