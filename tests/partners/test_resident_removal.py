"""A resident's account removed at their request: the person is gone, what they did stays, anonymised."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import CheckIn, Claim, ClaimStatus, Task
from coproduction.services.claims import volunteer_hours
from evaluation.models import Rating
from evaluation.services.evaluations import evaluation_inputs
from partners.models import MembershipRole, Resident
from partners.services.resident_removal import resident_remove
from partners.signals import resident_removing
from tests.factories import (
    CheckInFactory,
    ClaimFactory,
    ComplaintFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    RatingFactory,
    ResidentFactory,
    TaskFactory,
    UserFactory,
)
from tests.resident_portal.images import tiny_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def resident():
    user = UserFactory(username="li.hua", email="li@example.com", first_name="Hua", last_name="Li")
    return ResidentFactory(user=user, name="李华", phone="13912345678", building="12", unit="3")


@pytest.fixture
def claim(resident):
    return ClaimFactory(resident=resident, task=TaskFactory(project__community=resident.community))


def removed(resident) -> Resident:
    return Resident.objects.select_related("user").get(pk=resident.pk)


def signs_in(client, username: str, password: str) -> bool:
    client.post(reverse("login"), {"username": username, "password": password})
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


def test_the_resident_can_no_longer_sign_in(resident, client):
    resident.user.set_password("s3cret-pass")
    resident.user.save()
    assert signs_in(client, "li.hua", "s3cret-pass")
    resident_remove(resident=resident, user=resident.user)
    user = removed(resident).user
    assert not signs_in(client, "li.hua", "s3cret-pass")
    assert not signs_in(client, user.username, "s3cret-pass")
    assert not user.is_active and not user.has_usable_password()
    assert user.username.startswith("removed-") and "li.hua" not in user.username


def test_name_phone_address_and_account_details_are_blanked(resident):
    resident_remove(resident=resident, user=resident.user)
    row = removed(resident)
    assert (row.name, row.phone, row.building, row.unit) == ("", "", "", "")
    assert (row.user.email, row.user.first_name, row.user.last_name, row.user.display_name) == ("", "", "", "")
    assert row.removed_at is not None
    assert str(row) == "Removed resident"


def test_active_claims_are_released_and_their_places_free_up(resident, claim):
    resident_remove(resident=resident, user=resident.user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED
    assert Task.objects.get(pk=claim.task_id).active_claims == 0


def test_check_ins_and_ratings_stay_and_keep_counting(resident, claim):
    CheckInFactory(claim=claim, on=timezone.localdate(), hours=2)
    CheckInFactory(claim=claim, on=timezone.localdate() - timedelta(days=1), hours=1)
    RatingFactory(resident=resident, project=claim.task.project, period=date(2025, 3, 1), score=5)
    resident_remove(resident=resident, user=resident.user)

    assert CheckIn.objects.filter(claim__resident=resident).count() == 2
    assert volunteer_hours(resident=removed(resident)) == 3
    assert Rating.objects.filter(resident=resident).count() == 1
    inputs = evaluation_inputs(project=claim.task.project, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31))
    assert inputs["satisfaction"] == {"count": 1, "mean": 5.0}


def test_complaints_stay_with_the_complainant_anonymised(resident, claim):
    complaint = ComplaintFactory(resident=resident, project=claim.task.project)
    resident_remove(resident=resident, user=resident.user)
    complaint.refresh_from_db()
    assert complaint.resident_id == resident.pk
    assert str(complaint.resident) == "Removed resident" and complaint.resident.phone == ""


def test_check_in_photos_are_deleted_from_storage(resident, claim, django_capture_on_commit_callbacks):
    checkin = CheckInFactory(claim=claim)
    checkin.photo.save("garden.png", ContentFile(tiny_png()), save=True)
    storage, name = checkin.photo.storage, checkin.photo.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        resident_remove(resident=resident, user=resident.user)
    checkin.refresh_from_db()
    assert not checkin.photo
    assert not storage.exists(name)


def test_the_audit_entry_records_the_removal_without_the_personal_data(resident, claim):
    resident_remove(resident=resident, user=resident.user)
    entry = AuditEntry.objects.get(action=AuditAction.ANONYMISE)
    assert entry.object_id == str(resident.pk) and entry.actor_id == resident.user_id
    assert entry.after == {
        "claims_released": 1,
        "photos_deleted": 0,
        "complaint_photos_deleted": 0,
        "notifications_erased": 0,
    }
    assert "李华" not in entry.object_repr and "13912345678" not in str(entry.after)


def test_asking_again_changes_nothing(resident, claim):
    resident_remove(resident=resident, user=resident.user)
    before = (AuditEntry.objects.count(), removed(resident).user.username)
    resident_remove(resident=removed(resident), user=removed(resident).user)
    assert (AuditEntry.objects.count(), removed(resident).user.username) == before


def test_an_administrator_may_remove_a_resident_on_their_behalf(resident, claim):
    resident_remove(resident=resident, user=UserFactory(is_superuser=True, is_staff=True))
    assert removed(resident).removed_at is not None
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED


def test_nobody_else_may_remove_a_resident(resident):
    official = OfficialPostFactory(community=resident.community).user
    with pytest.raises(PermissionDenied, match="Only the resident themself"):
        resident_remove(resident=resident, user=official)
    assert removed(resident).removed_at is None


@pytest.mark.parametrize("other_role", ["official", "staff", "administrator"])
def test_an_account_with_another_role_is_not_removed_this_way(resident, claim, other_role):
    if other_role == "official":
        OfficialPostFactory(user=resident.user, community=resident.community)
    elif other_role == "staff":
        MembershipFactory(user=resident.user, organisation=OrganisationFactory(), role=MembershipRole.STAFF)
    else:
        resident.user.is_staff = True
        resident.user.save()
    with pytest.raises(ValidationError, match="ask an administrator") as refusal:
        resident_remove(resident=resident, user=resident.user)
    assert refusal.value.code == "not_only_resident"
    assert removed(resident).name == "李华" and removed(resident).user.is_active
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACTIVE


def test_a_failing_step_leaves_everything_as_it_was(resident, claim):
    def failing_step(sender, **kwargs):
        raise RuntimeError("storage unavailable")

    resident_removing.connect(failing_step)
    try:
        with pytest.raises(RuntimeError):
            resident_remove(resident=resident, user=resident.user)
    finally:
        resident_removing.disconnect(failing_step)
    assert removed(resident).name == "李华" and removed(resident).user.is_active
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACTIVE
    assert not AuditEntry.objects.filter(action=AuditAction.ANONYMISE).exists()
