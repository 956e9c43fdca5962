"""Residents' phone numbers and addresses: shown in full only to the roles that need them, on every
interface, and every full view by an official or an administrator is in the audit log."""

from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import ParticipationRole, Stage
from partners.models import MembershipRole, Resident
from partners.services.resident_removal import resident_remove
from tests.factories import (
    ClaimFactory,
    CommunityFactory,
    ComplaintFactory,
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PHONE, MASKED_PHONE = "13912345678", "139****5678"


@pytest.fixture
def scene():
    """A resident with a claim and a complaint on a running project, and someone in every role."""
    resident = ResidentFactory(user=UserFactory(), phone=PHONE, building="12", unit="3")
    community = resident.community
    project = ProjectFactory(community=community, stage=Stage.OPERATION)
    lead = ParticipationFactory(project=project, role=ParticipationRole.LEAD)
    claim = ClaimFactory(resident=resident, task=TaskFactory(project=project))
    complaint = ComplaintFactory(resident=resident, project=project, routed_to=lead.organisation)
    users = {
        "official": OfficialPostFactory(community=community).user,
        "street_official": OfficialPostFactory(community=None, street=community.street).user,
        "other_official": OfficialPostFactory(community=CommunityFactory()).user,
        "provider_staff": MembershipFactory(organisation=lead.organisation, role=MembershipRole.MANAGER).user,
        "neighbour": ResidentFactory(community=community, user=UserFactory()).user,
        "resident": resident.user,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return SimpleNamespace(resident=resident, claim=claim, complaint=complaint, users=users)


INTERFACES = {
    "api_resident": lambda s: f"/api/v1/residents/{s.resident.pk}/",
    "api_claims": lambda s: "/api/v1/claims/",
    "api_complaint": lambda s: f"/api/v1/complaints/{s.complaint.pk}/",
    "dashboard_complaint": lambda s: reverse("dashboard:complaint_detail", args=[s.complaint.pk]),
    "admin_resident": lambda s: reverse("admin:partners_resident_change", args=[s.resident.pk]),
    "admin_residents": lambda s: reverse("admin:partners_resident_changelist"),
    "my_data": lambda s: reverse("resident_portal:my_data"),
}
# What each role sees of the resident's phone on each interface: in full, masked, or nothing
# at all (the record is not theirs to see, or the page is not for their role).
SEES = {
    "official": {"api_resident": "full", "api_claims": "full", "api_complaint": "full", "dashboard_complaint": "full"},
    "street_official": {
        "api_resident": "full",
        "api_claims": "full",
        "api_complaint": "full",
        "dashboard_complaint": "full",
    },
    "other_official": {},
    "provider_staff": {"api_claims": "masked", "api_complaint": "masked"},
    "neighbour": {},
    "resident": {"api_resident": "full", "api_claims": "full", "api_complaint": "full", "my_data": "full"},
    "administrator": {
        "api_resident": "full",
        "api_claims": "full",
        "api_complaint": "full",
        "dashboard_complaint": "full",
        "admin_resident": "full",
        "admin_residents": "masked",
    },
}


def shown(content: str) -> str:
    if PHONE in content:
        return "full"
    return "masked" if MASKED_PHONE in content else "nothing"


def views_of(resident) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.VIEW_PERSONAL_DATA,
            content_type=ContentType.objects.get_for_model(Resident),
            object_id=str(resident.pk),
        )
    )


@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("interface", list(INTERFACES))
def test_each_role_sees_the_phone_in_full_only_where_the_rule_allows(client, scene, role, interface):
    client.force_login(scene.users[role])
    response = client.get(INTERFACES[interface](scene))
    assert shown(response.content.decode()) == SEES[role].get(interface, "nothing")


@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("interface", list(INTERFACES))
def test_a_full_view_by_anyone_but_the_resident_is_audited(client, scene, role, interface):
    client.force_login(scene.users[role])
    path = INTERFACES[interface](scene)
    client.get(path)
    audited = SEES[role].get(interface) == "full" and role != "resident"
    entries = views_of(scene.resident)
    assert len(entries) == (1 if audited else 0)
    if audited:
        assert entries[0].actor == scene.users[role]
        assert entries[0].note == f"GET {path}"


def test_the_address_goes_with_the_phone(client, scene):
    client.force_login(scene.users["official"])
    row = client.get(f"/api/v1/residents/{scene.resident.pk}/").json()
    assert (row["phone"], row["building"], row["unit"]) == (PHONE, "12", "3")
    client.force_login(scene.users["administrator"])
    changelist = client.get(reverse("admin:partners_resident_changelist")).content.decode()
    assert '<td class="field-building_masked">**</td>' in changelist
    assert '<td class="field-unit_masked">*</td>' in changelist


def test_the_audit_entry_says_who_which_resident_where_and_when_but_not_the_number(client, scene):
    administrator = scene.users["administrator"]
    client.force_login(administrator)
    change_page = reverse("admin:partners_resident_change", args=[scene.resident.pk])
    # The admin keeps the search that led to the page in the URL: here, the number itself.
    asked_at = timezone.now()
    client.get(f"{change_page}?_changelist_filters=q%3D{PHONE}")
    [entry] = views_of(scene.resident)
    assert (entry.actor, entry.object_id, entry.note) == (administrator, str(scene.resident.pk), f"GET {change_page}")
    assert asked_at <= entry.at <= timezone.now()
    assert PHONE not in f"{entry.object_repr} {entry.note} {entry.before} {entry.after}"


def inserts_into_the_audit_log(queries) -> int:
    return sum('INSERT INTO "audit_auditentry"' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("residents", [3, 30])
def test_a_list_is_audited_with_one_insert_whatever_its_length(client, residents):
    community = CommunityFactory()
    shown_residents = ResidentFactory.create_batch(residents, community=community)
    client.force_login(OfficialPostFactory(community=community).user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/residents/?community={community.pk}&page_size=100")
    assert response.status_code == 200
    assert inserts_into_the_audit_log(queries) == 1
    audited = AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA)
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in shown_residents)


def test_a_list_shown_masked_is_not_audited(client, scene):
    client.force_login(scene.users["provider_staff"])
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/claims/")
    assert inserts_into_the_audit_log(queries) == 0
    assert views_of(scene.resident) == []


def test_a_removed_resident_is_shown_anonymised_to_the_official(client, scene):
    resident_remove(resident=scene.resident, user=scene.resident.user)
    client.force_login(scene.users["official"])
    row = client.get(f"/api/v1/complaints/{scene.complaint.pk}/").json()
    assert (row["resident_name"], row["resident_phone"]) == ("", "")
    page = client.get(reverse("dashboard:complaint_detail", args=[scene.complaint.pk])).content.decode()
    assert "Removed resident" in page and PHONE not in page


def test_the_anonymised_row_of_a_removed_resident_is_not_audited_as_a_view(client, scene):
    resident_remove(resident=scene.resident, user=scene.resident.user)
    client.force_login(scene.users["official"])
    client.get(f"/api/v1/residents/{scene.resident.pk}/")
    assert views_of(scene.resident) == []
