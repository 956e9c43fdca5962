"""Events reach the people they concern, once: residents, the organisation's managers, the community's officials."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Breach, BreachKind, Sanction, Severity
from accountability.services.breach_detection import recompute_accountability
from accountability.services.breaches import breach_open, breach_resolve
from accountability.services.complaints import complaint_answer, complaint_close, complaint_file, complaint_reroute
from accountability.signals import breach_opened
from common.actors import TRUSTED
from coproduction.models import ApplicationStatus, Call, CallStatus, NeedStatus, ParticipationRole
from coproduction.services.claims import claim_create
from coproduction.services.needs import need_answer
from coproduction.services.reports import report_review, report_submit
from coproduction.signals import call_awarded
from notifications.models import Notification
from partners.models import MembershipRole
from tests.factories import (
    ApplicationFactory,
    BreachFactory,
    CallFactory,
    CommunityFactory,
    DutyFactory,
    MembershipFactory,
    NeedFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def told(user, kind=None):
    notifications = Notification.objects.filter(recipient=user)
    return list(notifications.filter(kind=kind) if kind else notifications)


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def official(project):
    return OfficialPostFactory(community=project.community).user


@pytest.fixture
def street_official(project):
    """An official whose post covers the project's whole street."""
    return OfficialPostFactory(community=None, street=project.community.street).user


@pytest.fixture
def other_official():
    return OfficialPostFactory(community=CommunityFactory()).user


@pytest.fixture
def provider(project):
    return ParticipationFactory(project=project, role=ParticipationRole.PROVIDER).organisation


@pytest.fixture
def manager(provider):
    return MembershipFactory(organisation=provider, role=MembershipRole.MANAGER).user


@pytest.fixture
def staff(provider):
    return MembershipFactory(organisation=provider, role=MembershipRole.STAFF).user


@pytest.fixture
def resident(project):
    return ResidentFactory(community=project.community, user=UserFactory())


@pytest.fixture
def complaint(project, provider, manager, staff, official, resident):
    return complaint_file(project=project, resident=resident, subject="Cold meals", body="Cold three days running.")


# --- complaints --------------------------------------------------------------------------------


def test_a_filed_complaint_reaches_the_providers_managers_with_its_deadline(complaint, manager, staff, resident):
    (received,) = told(manager)
    assert received.kind == "complaint_received"
    assert received.params["subject"] == "Cold meals" and received.params["deadline"]
    assert received.url == reverse("partner_portal:complaint_answer", args=[complaint.pk])
    assert told(staff) == [] and told(resident.user) == []


def test_an_answered_complaint_reaches_the_resident_who_filed_it_only(complaint, manager, resident, official):
    complaint_answer(complaint=complaint, user=manager, response="Hot boxes from Monday.")

    (answered,) = told(resident.user)
    assert answered.kind == "complaint_answered"
    assert answered.url == reverse("resident_portal:complaint", args=[complaint.pk])
    assert told(official) == [] and told(manager, "complaint_answered") == []


def test_a_rerouted_complaint_tells_the_resident_and_the_new_partys_managers(project, complaint, official, resident):
    caterer = ParticipationFactory(project=project, role=ParticipationRole.PROVIDER).organisation
    caterer_manager = MembershipFactory(organisation=caterer, role=MembershipRole.MANAGER).user

    complaint_reroute(complaint=complaint, user=official, organisation=caterer, reason="They cook the meals.")

    (rerouted,) = told(resident.user)
    assert rerouted.kind == "complaint_rerouted" and rerouted.params["organisation"] == caterer.name
    assert [n.kind for n in told(caterer_manager)] == ["complaint_received"]


def test_a_complaint_routed_to_a_government_body_reaches_the_officials_covering_the_community(
    project, official, street_official, other_official, resident
):
    committee = OrganisationFactory(government=True)
    ParticipationFactory(project=project, role=ParticipationRole.LEAD, organisation=committee)

    complaint_file(project=project, resident=resident, subject="Broken lift", body="Since Monday.")

    assert [n.kind for n in told(official)] == ["complaint_received"]
    assert [n.kind for n in told(street_official)] == ["complaint_received"]
    assert told(other_official) == []


def test_a_closed_complaint_reaches_the_resident(complaint, official, resident):
    complaint_close(complaint=complaint, user=official, note="Settled at the committee office.")

    assert [n.kind for n in told(resident.user)] == ["complaint_closed"]


# --- needs and claims ----------------------------------------------------------------------------


def test_an_answered_need_reaches_the_resident_and_a_later_answer_again(project, official, resident):
    need = NeedFactory(community=project.community, resident=resident, title="A reading room")

    need_answer(need=need, user=official, status=NeedStatus.PLANNED, response="Next spring.")
    need_answer(need=need, user=official, status=NeedStatus.MERGED, project=project)

    assert [n.kind for n in told(resident.user)] == ["need_answered", "need_answered"]
    assert told(resident.user)[0].url == reverse("resident_portal:needs")


def test_a_claim_is_confirmed_to_the_resident(project, resident):
    task = TaskFactory(project=project, title="Plot by the gate")

    claim_create(task=task, resident=resident, user=resident.user)

    (confirmed,) = told(resident.user)
    assert confirmed.kind == "claim_confirmed" and confirmed.params == {"task": "Plot by the gate"}
    assert confirmed.url == reverse("resident_portal:task", args=[task.pk])


def test_a_resident_without_an_account_is_told_nothing_and_the_claim_stands(project, official):
    offline = ResidentFactory(community=project.community)

    claim = claim_create(task=TaskFactory(project=project), resident=offline, user=official)

    assert claim.pk and not Notification.objects.exists()


# --- service reports -------------------------------------------------------------------------------


def submit(project, organisation, user):
    return report_submit(
        project=project,
        organisation=organisation,
        user=user,
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        people_served=10,
        service_units=100,
        cost=Decimal("100"),
        income=Decimal("0"),
        subsidy=Decimal("100"),
        narrative="Meals every weekday.",
    )


def test_a_submitted_report_reaches_the_officials_covering_the_community(
    project, provider, staff, official, street_official, other_official, manager
):
    report = submit(project, provider, staff)

    for user in (official, street_official):
        (awaiting,) = told(user)
        assert awaiting.kind == "report_submitted"
        assert awaiting.url == reverse("dashboard:report_review", args=[report.pk])
    assert told(other_official) == [] and told(manager) == []


@pytest.mark.parametrize(("accept", "kind"), [(True, "report_accepted"), (False, "report_returned")])
def test_a_reviewed_report_reaches_the_providers_managers(project, provider, staff, manager, official, accept, kind):
    report = submit(project, provider, staff)

    report_review(report=report, user=official, accept=accept, comment="Add the receipts.")

    (reviewed,) = told(manager)
    assert reviewed.kind == kind and reviewed.url == reverse("partner_portal:report", args=[report.pk])
    assert told(staff) == []


# --- awards and breaches ---------------------------------------------------------------------------


def test_an_award_reaches_the_winners_and_the_others_managers_once(official):
    call = CallFactory()
    winner = ApplicationFactory(call=call, status=ApplicationStatus.AWARDED)
    loser = ApplicationFactory(call=call, status=ApplicationStatus.NOT_AWARDED)
    withdrawn = ApplicationFactory(call=call, status=ApplicationStatus.WITHDRAWN)
    Call.objects.filter(pk=call.pk).update(
        status=CallStatus.AWARDED,
        awarded_application=winner,
        awarded_by=official,
        awarded_at=timezone.now(),
        award_reason="The best plan.",
    )
    call.refresh_from_db()
    managers = {
        application: MembershipFactory(organisation=application.organisation, role=MembershipRole.MANAGER).user
        for application in (winner, loser, withdrawn)
    }

    for _twice in range(2):
        call_awarded.send(sender=Call, call=call, by=official)

    assert [n.kind for n in told(managers[winner])] == ["application_awarded"]
    assert [n.kind for n in told(managers[loser])] == ["application_not_awarded"]
    assert told(managers[withdrawn]) == []


def test_a_breach_opened_and_resolved_reaches_the_organisations_managers_once(project, provider, manager, official):
    def open_it():
        return breach_open(
            kind=BreachKind.MISSED_REPORT,
            project=project,
            organisation=provider,
            severity=Severity.MEDIUM,
            due_on=date(2025, 3, 1),
            user=TRUSTED,
        )

    breach = open_it()
    open_it()  # the same miss detected again returns the breach on file and tells nobody again
    breach_resolve(breach=breach, user=official, resolution="Report filed late.", sanction=Sanction.WARNING)

    assert [n.kind for n in told(manager)] == ["breach_resolved", "breach_opened"]
    assert told(manager)[0].url == reverse("partner_portal:record")
    assert told(official) == []


def test_an_event_notified_twice_is_stored_once(project, provider, manager, official):
    breach = BreachFactory(project=project, organisation=provider, duty=None, kind=BreachKind.MISSED_REPORT)

    for _twice in range(2):
        breach_opened.send(sender=type(breach), breach=breach, by=TRUSTED)

    assert len(told(manager)) == 1


def test_the_breaches_the_daily_job_opens_reach_each_organisations_managers_once(project, provider, manager, staff):
    participation = provider.participations.get(project=project)
    today = timezone.localdate()
    DutyFactory(project=project, accountable=participation, next_due_on=today - timedelta(days=2))
    DutyFactory(project=project, accountable=participation, next_due_on=today - timedelta(days=3))

    recompute_accountability(community_id=project.community_id)
    recompute_accountability(community_id=project.community_id)

    # Both overdue duties, and the month's missing service report.
    opened = Breach.objects.filter(organisation=provider)
    assert opened.count() == 3
    assert sorted(n.key for n in told(manager)) == sorted(f"breach_opened:{breach.pk}" for breach in opened)
    assert told(staff) == []
