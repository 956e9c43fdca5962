"""/breaches/ and /risks/: who sees them, how officials resolve breaches and follow risks up."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import Breach, BreachKind, BreachStatus, Risk, RiskKind, RiskStatus, Sanction, Severity
from audit.models import AuditAction, AuditEntry
from config.celery import app as celery_app
from partners.models import Organisation, OrganisationStatus
from tests.factories import (
    BreachFactory,
    DutyFactory,
    InspectionFactory,
    MembershipFactory,
    ProjectFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def breach(project):
    return BreachFactory(project=project)


@pytest.fixture
def named_staff(breach):
    """Staff of the organisation the breach names."""
    return MembershipFactory(organisation=breach.organisation).user


@pytest.fixture
def risk(community, project):
    return RiskFactory(community=community, project=project)


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def audit_of(instance, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk), action=action
    )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# --- Breaches: reading -----------------------------------------------------------------------


def test_an_official_lists_the_breaches_of_their_community(client_for, official, breach):
    BreachFactory()
    response = client_for(official).get("/api/v1/breaches/")
    assert ids(response) == {breach.pk}
    assert response.data["results"][0]["organisation_name"] == breach.organisation.name


def test_an_organisation_sees_only_the_breaches_that_name_it(client_for, named_staff, breach, project):
    BreachFactory(project=project)
    assert ids(client_for(named_staff).get("/api/v1/breaches/")) == {breach.pk}


def test_residents_do_not_see_breaches(client_for, resident, breach):
    assert ids(client_for(resident.user).get("/api/v1/breaches/")) == set()
    assert client_for(resident.user).get(f"/api/v1/breaches/{breach.pk}/").status_code == 404


def test_another_communitys_breach_is_a_404(client_for, official):
    assert client_for(official).get(f"/api/v1/breaches/{BreachFactory().pk}/").status_code == 404


def test_an_administrator_sees_every_communitys_breaches(client_for, administrator, breach):
    other = BreachFactory()
    assert ids(client_for(administrator).get("/api/v1/breaches/")) == {breach.pk, other.pk}
    assert client_for(administrator).get(f"/api/v1/breaches/{other.pk}/").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/breaches/", "/api/v1/risks/"])
def test_an_anonymous_caller_is_a_401(client_for, url):
    assert client_for().get(url).status_code == 401


def test_breaches_are_filtered_by_kind_status_severity_organisation_and_date(client_for, official, breach, project):
    failed = InspectionFactory(project=project, organisation=breach.organisation)
    BreachFactory(
        project=project,
        kind=BreachKind.FAILED_INSPECTION,
        duty=None,
        due_on=None,
        inspection=failed,
        organisation=breach.organisation,
    )
    BreachFactory(
        project=project, duty=DutyFactory(project=project, accountable=breach.duty.accountable), severity=Severity.HIGH
    )
    BreachFactory(
        project=project,
        duty=DutyFactory(project=project, accountable=breach.duty.accountable),
        detected_at=timezone.now() - timedelta(days=30),
    )
    BreachFactory(project=project)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    url = (
        f"/api/v1/breaches/?kind=overdue_duty&status=open&severity=medium"
        f"&organisation={breach.organisation_id}&detected_at_after={since}&community={project.community_id}"
    )
    assert ids(client_for(official).get(url)) == {breach.pk}


# --- Breaches: resolving ---------------------------------------------------------------------


def resolve(client, breach, **body):
    return client.post(f"/api/v1/breaches/{breach.pk}/resolve/", body, format="json")


def test_an_official_resolves_a_breach_with_a_warning(client_for, official, breach):
    response = resolve(client_for(official), breach, resolution="Cleaned a day late.", sanction="warning")
    assert response.status_code == 200
    assert response.data["status"] == BreachStatus.RESOLVED
    stored = Breach.objects.get(pk=breach.pk)
    assert (stored.status, stored.sanction, stored.resolved_by) == (BreachStatus.RESOLVED, Sanction.WARNING, official)
    assert audit_of(breach, AuditAction.CHANGE).get().note == "Cleaned a day late."


def test_resolving_asks_for_the_trust_scores_once_it_commits(
    client_for, official, breach, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, **options: sent.append(name))
    with django_capture_on_commit_callbacks(execute=True):
        resolve(client_for(official), breach, resolution="Warned.", sanction="warning")
    assert sent == ["evaluation.recompute_trust_scores"]


def test_a_suspension_suspends_the_organisation(client_for, official, breach):
    response = resolve(client_for(official), breach, resolution="Third miss this month.", sanction="suspension")
    assert response.status_code == 200
    assert Organisation.objects.get(pk=breach.organisation_id).status == OrganisationStatus.SUSPENDED


def test_resolving_without_a_resolution_is_a_400_and_the_breach_stays_open(client_for, official, breach):
    response = resolve(client_for(official), breach, resolution=" ", sanction="none")
    assert response.status_code == 400
    assert response.data["errors"] == {"resolution": ["Say how the breach was resolved."]}
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.OPEN


def test_an_unknown_sanction_is_a_400(client_for, official, breach):
    response = resolve(client_for(official), breach, resolution="Fined.", sanction="fine")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["sanction"]
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.OPEN


def test_resolving_a_resolved_breach_is_a_409(client_for, official, breach):
    client = client_for(official)
    resolve(client, breach, resolution="Warned.", sanction="warning")
    response = resolve(client, breach, resolution="Blacklisted.", sanction="blacklist")
    assert response.status_code == 409
    assert response.data["code"] == "already_resolved"
    assert Breach.objects.get(pk=breach.pk).sanction == Sanction.WARNING
    assert Organisation.objects.get(pk=breach.organisation_id).status == OrganisationStatus.APPROVED


def test_the_named_organisation_may_not_resolve_its_own_breach(client_for, named_staff, breach):
    response = resolve(client_for(named_staff), breach, resolution="We did it.", sanction="none")
    assert response.status_code == 403
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.OPEN


def test_resolving_another_communitys_breach_is_a_404(client_for, official):
    other = BreachFactory()
    assert resolve(client_for(official), other, resolution="Warned.", sanction="warning").status_code == 404
    assert Breach.objects.get(pk=other.pk).status == BreachStatus.OPEN


def test_the_breach_list_keeps_its_query_count_from_5_to_50_rows(
    client_for, official, project, django_assert_num_queries
):
    client = client_for(official)
    for _ in range(5):
        BreachFactory(project=project)
    at_five = queries_for(client, "/api/v1/breaches/")
    for _ in range(45):
        BreachFactory(project=project)
    with django_assert_num_queries(at_five):
        response = client.get("/api/v1/breaches/")
    assert response.data["count"] == 50


# --- Risks: reading --------------------------------------------------------------------------


def test_an_official_lists_the_risks_of_their_community(client_for, official, risk):
    RiskFactory()
    assert ids(client_for(official).get("/api/v1/risks/")) == {risk.pk}


def test_risks_are_the_officials_working_material_not_the_organisations(client_for, risk, project):
    staff = MembershipFactory(organisation=BreachFactory(project=project).organisation).user
    assert ids(client_for(staff).get("/api/v1/risks/")) == set()
    assert client_for(staff).get(f"/api/v1/risks/{risk.pk}/").status_code == 404


def test_another_communitys_risk_is_a_404(client_for, official):
    assert client_for(official).get(f"/api/v1/risks/{RiskFactory().pk}/").status_code == 404


def test_an_administrator_sees_every_communitys_risks(client_for, administrator, risk):
    other = RiskFactory()
    assert ids(client_for(administrator).get("/api/v1/risks/")) == {risk.pk, other.pk}
    assert client_for(administrator).get(f"/api/v1/risks/{other.pk}/").status_code == 200


def test_risks_are_filtered_by_kind_status_and_project(client_for, official, community, risk, project):
    RiskFactory(community=community, project=project, kind=RiskKind.FREE_RIDING)
    RiskFactory(community=community, project=project, status=RiskStatus.ACKNOWLEDGED)
    RiskFactory(community=community)
    url = f"/api/v1/risks/?kind=responsibility_ambiguity&status=open&project={project.pk}&community={community.pk}"
    assert ids(client_for(official).get(url)) == {risk.pk}


# --- Risks: following up ---------------------------------------------------------------------


def test_an_official_acknowledges_an_open_risk(client_for, official, risk):
    response = client_for(official).post(f"/api/v1/risks/{risk.pk}/acknowledge/", {"note": "Looking into it."})
    assert response.status_code == 200
    assert response.data["status"] == RiskStatus.ACKNOWLEDGED
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.ACKNOWLEDGED
    assert audit_of(risk, AuditAction.CHANGE).get().actor == official


def test_acknowledging_a_risk_that_is_not_open_is_a_400(client_for, official, community):
    risk = RiskFactory(community=community, status=RiskStatus.ACKNOWLEDGED)
    response = client_for(official).post(f"/api/v1/risks/{risk.pk}/acknowledge/")
    assert response.status_code == 400
    assert response.data["code"] == "not_open"
    assert not audit_of(risk, AuditAction.CHANGE).exists()


def test_an_official_closes_a_risk_saying_what_was_done(client_for, official, risk):
    response = client_for(official).post(f"/api/v1/risks/{risk.pk}/close/", {"note": "Named a responsible party."})
    assert response.status_code == 200
    stored = Risk.objects.get(pk=risk.pk)
    assert stored.status == RiskStatus.CLOSED and stored.closed_at is not None
    assert audit_of(risk, AuditAction.CHANGE).get().note == "Named a responsible party."


def test_closing_a_risk_without_a_note_is_a_400(client_for, official, risk):
    response = client_for(official).post(f"/api/v1/risks/{risk.pk}/close/", {"note": ""})
    assert response.status_code == 400
    assert response.data["errors"] == {"note": ["Say what was found or done about the risk."]}
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN


def test_closing_a_closed_risk_is_a_409(client_for, official, community):
    risk = RiskFactory(community=community, status=RiskStatus.CLOSED, closed_at=timezone.now())
    response = client_for(official).post(f"/api/v1/risks/{risk.pk}/close/", {"note": "Again."})
    assert response.status_code == 409
    assert response.data["code"] == "already_closed"


def test_following_up_another_communitys_risk_is_a_404(client_for, official):
    other = RiskFactory()
    assert client_for(official).post(f"/api/v1/risks/{other.pk}/acknowledge/").status_code == 404
    assert client_for(official).post(f"/api/v1/risks/{other.pk}/close/", {"note": "x"}).status_code == 404
    assert Risk.objects.get(pk=other.pk).status == RiskStatus.OPEN


def test_a_resident_cannot_follow_a_risk_up(client_for, resident, risk):
    assert client_for(resident.user).post(f"/api/v1/risks/{risk.pk}/acknowledge/").status_code == 404
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN


def test_the_risk_list_keeps_its_query_count_from_5_to_50_rows(
    client_for, official, community, django_assert_num_queries
):
    client = client_for(official)
    for _ in range(5):
        RiskFactory(community=community)
    at_five = queries_for(client, "/api/v1/risks/")
    for _ in range(45):
        RiskFactory(community=community)
    with django_assert_num_queries(at_five):
        response = client.get("/api/v1/risks/")
    assert response.data["count"] == 50
