"""POST /tasks/{id}/claim/ and /claims/{id}/release/: the domain's claim rules through the API."""

import pytest

from audit.models import AuditEntry
from coproduction.models import Claim, ClaimStatus, Task
from tests.factories import ClaimFactory, MembershipFactory, ParticipationFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(community):
    return TaskFactory(project=ProjectFactory(community=community))


def test_a_resident_claims_an_open_task_of_their_community(client_for, resident, task):
    response = client_for(resident.user).post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 201
    claim = Claim.objects.get(task=task, resident=resident)
    assert response.data["id"] == claim.pk and response.data["status"] == ClaimStatus.ACTIVE
    assert Task.objects.get(pk=task.pk).active_claims == 1


def test_a_claim_made_through_the_api_is_audited(client_for, resident, task):
    client_for(resident.user).post(f"/api/v1/tasks/{task.pk}/claim/")
    claim = Claim.objects.get(task=task)
    assert AuditEntry.objects.filter(object_id=str(claim.pk), actor=resident.user).exists()


def test_claiming_a_full_task_is_a_409_and_writes_nothing(client_for, resident, task):
    ClaimFactory(task=task)
    response = client_for(resident.user).post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 409
    assert response.data == {"message": "Every place on this task is taken.", "code": "task_full", "errors": {}}
    assert not Claim.objects.filter(resident=resident).exists()
    assert Task.objects.get(pk=task.pk).active_claims == 1


def test_claiming_a_task_twice_is_a_409(client_for, resident, community):
    task = TaskFactory(project=ProjectFactory(community=community), capacity=3)
    client = client_for(resident.user)
    client.post(f"/api/v1/tasks/{task.pk}/claim/")
    response = client.post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 409
    assert response.data["code"] == "already_claimed"
    assert Claim.objects.filter(resident=resident).count() == 1


def test_a_closed_task_is_a_400_with_its_code(client_for, resident, community):
    task = TaskFactory(project=ProjectFactory(community=community), status="closed")
    response = client_for(resident.user).post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 400
    assert response.data["code"] == "task_closed"
    assert not Claim.objects.exists()


def test_an_official_who_is_not_a_resident_is_refused_with_403(client_for, official, task):
    response = client_for(official).post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert not Claim.objects.exists()


def test_a_resident_of_another_community_gets_404(client_for, resident):
    task = TaskFactory()
    response = client_for(resident.user).post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 404
    assert not Claim.objects.exists()


def test_an_anonymous_claim_is_a_401(client_for, task):
    assert client_for().post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 401
    assert not Claim.objects.exists()


def test_a_resident_releases_their_claim_and_frees_the_place(client_for, resident, task):
    claim = ClaimFactory(task=task, resident=resident)
    response = client_for(resident.user).post(f"/api/v1/claims/{claim.pk}/release/")
    assert response.status_code == 200
    assert response.data["status"] == ClaimStatus.RELEASED
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.RELEASED
    assert Task.objects.get(pk=task.pk).active_claims == 0


def test_releasing_a_released_claim_is_a_400(client_for, resident, task):
    claim = ClaimFactory(task=task, resident=resident, status=ClaimStatus.RELEASED)
    response = client_for(resident.user).post(f"/api/v1/claims/{claim.pk}/release/")
    assert response.status_code == 400
    assert response.data["code"] == "claim_not_active"


def test_provider_staff_cannot_release_a_residents_claim(client_for):
    participation = ParticipationFactory()
    claim = ClaimFactory(task=TaskFactory(project=participation.project))
    staff = MembershipFactory(organisation=participation.organisation).user
    response = client_for(staff).post(f"/api/v1/claims/{claim.pk}/release/")
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACTIVE


def test_another_residents_claim_is_a_404(client_for, resident, task):
    claim = ClaimFactory(task=task)
    assert client_for(resident.user).post(f"/api/v1/claims/{claim.pk}/release/").status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACTIVE
