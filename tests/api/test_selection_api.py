"""Calls, applications and reviews through the API: who sees what, and every step of selection."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    ConflictDeclaration,
    Participation,
    ParticipationRole,
    Review,
    Stage,
)
from coproduction.services import selection
from partners.models import MembershipRole
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ProjectFactory,
    ServiceListItemFactory,
)

pytestmark = pytest.mark.django_db

CRITERIA = [{"name": "Experience", "weight": 60}, {"name": "Price", "weight": 40}]


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def audited(instance, action, actor) -> bool:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        action=action,
        actor=actor,
    ).exists()


def in_a_week() -> str:
    return (timezone.now() + timedelta(days=7, hours=1)).isoformat()


@pytest.fixture
def project(community):
    return ProjectFactory(community=community, stage=Stage.DESIGN)


@pytest.fixture
def call(project, official):
    """An open call with two weighted criteria, opened through the selection workflow."""
    return selection.call_open(
        project=project,
        title="Dining hall operator",
        deadline=timezone.now() + timedelta(days=7, hours=1),
        criteria=[("Experience", 60), ("Price", 40)],
        user=official,
    )


@pytest.fixture
def applicant():
    """An approved NGO and its manager."""
    organisation = OrganisationFactory()
    return organisation, MembershipFactory(organisation=organisation, role=MembershipRole.MANAGER).user


def apply(call, organisation=None) -> Application:
    organisation = organisation or OrganisationFactory()
    manager = MembershipFactory(organisation=organisation, role=MembershipRole.MANAGER).user
    return selection.application_submit(
        call=call,
        organisation=organisation,
        user=manager,
        proposal="Hot lunches five days a week.",
        proposed_budget=Decimal("80000"),
    )


def close(call) -> None:
    """The deadline passes."""
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    call.refresh_from_db()


def scores(call, *values) -> dict[str, int]:
    return {
        str(criterion.pk): value for criterion, value in zip(call.criteria.order_by("-weight"), values, strict=True)
    }


def review_by_two(call, application, community, *values):
    for reviewer in (OfficialPostFactory(community=community).user, OfficialPostFactory(community=community).user):
        selection.review_submit(application=application, reviewer=reviewer, scores=scores(call, *values))


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


# --- calls: reading ----------------------------------------------------------------------------


def test_an_official_lists_their_communitys_calls_with_their_criteria(client_for, official, call):
    CallFactory()
    response = client_for(official).get("/api/v1/calls/")
    assert response.status_code == 200
    assert ids(response) == {call.pk}
    assert [(c["name"], c["weight"]) for c in response.data["results"][0]["criteria"]] == [
        ("Experience", 60),
        ("Price", 40),
    ]


def test_a_resident_sees_their_communitys_calls(client_for, resident, call):
    CallFactory()
    assert ids(client_for(resident.user).get("/api/v1/calls/")) == {call.pk}


def test_organisations_see_every_open_call_and_those_they_applied_to(client_for, applicant, call):
    organisation, manager = applicant
    applied = CallFactory()
    ApplicationFactory(call=applied, organisation=organisation)
    Call.objects.filter(pk=applied.pk).update(status=CallStatus.CANCELLED)
    CallFactory(status=CallStatus.CANCELLED)
    assert ids(client_for(manager).get("/api/v1/calls/")) == {call.pk, applied.pk}


def test_another_communitys_call_is_a_404_for_an_official(client_for, official, other_community):
    theirs = CallFactory(project=ProjectFactory(community=other_community, stage=Stage.DESIGN))
    response = client_for(official).get(f"/api/v1/calls/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_calls_are_filtered_by_status_community_service_item_and_deadline(client_for, administrator, call):
    CallFactory(
        project=ProjectFactory(community=call.project.community, stage=Stage.DESIGN), status=CallStatus.CANCELLED
    )
    CallFactory(deadline=timezone.now() + timedelta(days=7))
    later = timezone.now() + timedelta(days=30)
    # Another project of the same item: a project has one call under way at a time.
    CallFactory(
        project=ProjectFactory(
            community=call.project.community, service_item=call.project.service_item, stage=Stage.DESIGN
        ),
        deadline=later,
    )
    after = (timezone.now() + timedelta(days=6)).strftime("%Y-%m-%dT%H:%M:%S")
    before = (timezone.now() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")
    url = (
        f"/api/v1/calls/?status=open&community={call.project.community_id}"
        f"&service_item={call.project.service_item_id}&deadline_after={after}&deadline_before={before}"
    )
    assert ids(client_for(administrator).get(url)) == {call.pk}


def test_calls_are_searched_by_title(client_for, official, call, project):
    CallFactory(project=ProjectFactory(community=project.community, stage=Stage.DESIGN), title="Green-space keepers")
    assert ids(client_for(official).get("/api/v1/calls/?search=dining")) == {call.pk}


# --- calls: opening ----------------------------------------------------------------------------


def test_an_official_opens_a_call_with_weighted_criteria(client_for, official, project):
    body = {"project": project.pk, "title": "Dining hall operator", "deadline": in_a_week(), "criteria": CRITERIA}
    response = post(client_for(official), "/api/v1/calls/", body)
    assert response.status_code == 201
    call = Call.objects.get(pk=response.data["id"])
    assert (call.project, call.status, call.opened_by) == (project, CallStatus.OPEN, official)
    assert sorted(call.criteria.values_list("name", "weight")) == [("Experience", 60), ("Price", 40)]
    assert len(response.data["criteria"]) == 2
    assert audited(call, AuditAction.CREATE, official)


def test_criteria_that_do_not_add_up_to_100_are_a_400_saying_their_sum(client_for, official, project):
    body = {
        "project": project.pk,
        "title": "Operator",
        "deadline": in_a_week(),
        "criteria": [{"name": "Experience", "weight": 60}, {"name": "Price", "weight": 30}],
    }
    response = post(client_for(official), "/api/v1/calls/", body)
    assert response.status_code == 400
    assert response.data["errors"] == {"criteria": ["The weights add up to 90; they must add up to exactly 100."]}
    assert not Call.objects.exists()


def test_a_call_without_title_or_deadline_is_a_400_naming_both(client_for, official, project):
    response = post(client_for(official), "/api/v1/calls/", {"project": project.pk, "criteria": CRITERIA})
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"title", "deadline"}
    assert not Call.objects.exists()


def test_a_resident_may_not_open_a_call(client_for, resident, project):
    body = {"project": project.pk, "title": "Operator", "deadline": in_a_week(), "criteria": CRITERIA}
    assert post(client_for(resident.user), "/api/v1/calls/", body).status_code == 403
    assert not Call.objects.exists()


def test_a_call_on_another_communitys_project_is_a_404(client_for, official, other_community):
    theirs = ProjectFactory(community=other_community, stage=Stage.DESIGN)
    body = {"project": theirs.pk, "title": "Operator", "deadline": in_a_week(), "criteria": CRITERIA}
    response = post(client_for(official), "/api/v1/calls/", body)
    assert response.status_code == 404
    assert not Call.objects.exists()


# --- calls: cancelling -------------------------------------------------------------------------


def test_an_official_cancels_a_call_and_its_applications_are_not_awarded(client_for, official, call):
    application = apply(call)
    response = post(client_for(official), f"/api/v1/calls/{call.pk}/cancel/", {"reason": "The budget was cut."})
    assert response.status_code == 200
    assert response.data["status"] == CallStatus.CANCELLED
    assert Call.objects.get(pk=call.pk).status == CallStatus.CANCELLED
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.NOT_AWARDED
    assert audited(call, AuditAction.TRANSITION, official)


def test_cancelling_a_decided_call_is_a_409(client_for, official, call):
    Call.objects.filter(pk=call.pk).update(status=CallStatus.CANCELLED)
    response = post(client_for(official), f"/api/v1/calls/{call.pk}/cancel/", {"reason": "Again."})
    assert response.status_code == 409
    assert response.data["code"] == "call_decided"


def test_a_cancellation_needs_a_reason(client_for, official, call):
    response = post(client_for(official), f"/api/v1/calls/{call.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    assert response.data["errors"] == {"reason": ["Say why the call is cancelled."]}
    assert Call.objects.get(pk=call.pk).status == CallStatus.OPEN


def test_an_organisation_may_not_cancel_an_open_call(client_for, applicant, call):
    _, manager = applicant
    assert post(client_for(manager), f"/api/v1/calls/{call.pk}/cancel/", {"reason": "Mine."}).status_code == 403
    assert Call.objects.get(pk=call.pk).status == CallStatus.OPEN


def test_another_communitys_official_cancelling_gets_404(client_for, call, other_community):
    stranger = OfficialPostFactory(community=other_community).user
    assert post(client_for(stranger), f"/api/v1/calls/{call.pk}/cancel/", {"reason": "No."}).status_code == 404
    assert Call.objects.get(pk=call.pk).status == CallStatus.OPEN


# --- calls: the award --------------------------------------------------------------------------


def test_an_official_awards_a_reviewed_call_and_the_winner_joins_as_provider(client_for, official, call, community):
    winner, rival = apply(call), apply(call)
    close(call)
    review_by_two(call, winner, community, 90, 80)
    review_by_two(call, rival, community, 60, 60)
    response = post(
        client_for(official),
        f"/api/v1/calls/{call.pk}/award/",
        {"application": winner.pk, "reason": "Best experience."},
    )
    assert response.status_code == 200
    assert (response.data["status"], response.data["awarded_application"]) == (CallStatus.AWARDED, winner.pk)
    assert Application.objects.get(pk=winner.pk).status == ApplicationStatus.AWARDED
    assert Application.objects.get(pk=rival.pk).status == ApplicationStatus.NOT_AWARDED
    assert Participation.objects.filter(
        project=call.project, organisation=winner.organisation, role=ParticipationRole.PROVIDER
    ).exists()
    assert audited(call, AuditAction.TRANSITION, official)


def test_an_award_waits_for_the_reviews(client_for, official, call):
    application = apply(call)
    close(call)
    response = post(
        client_for(official), f"/api/v1/calls/{call.pk}/award/", {"application": application.pk, "reason": "Only one."}
    )
    assert response.status_code == 400
    assert response.data["code"] == "reviews_missing"
    assert Call.objects.get(pk=call.pk).status == CallStatus.OPEN
    assert not Participation.objects.exists()


@pytest.mark.parametrize("elsewhere", ["same_community", "other_community"])
def test_an_application_made_to_another_call_cannot_win(client_for, official, call, elsewhere):
    close(call)
    same_community = elsewhere == "same_community"
    other_call = CallFactory(project__community=call.project.community) if same_community else CallFactory()
    application = ApplicationFactory(call=other_call)
    response = post(
        client_for(official), f"/api/v1/calls/{call.pk}/award/", {"application": application.pk, "reason": "Why not."}
    )
    assert response.status_code == 400
    assert response.data["errors"] == {"application": [f'Invalid pk "{application.pk}" - object does not exist.']}
    assert Call.objects.get(pk=call.pk).status == CallStatus.OPEN


def test_awarding_a_decided_call_is_a_409(client_for, official, call, community):
    application = apply(call)
    close(call)
    review_by_two(call, application, community, 80, 80)
    client = client_for(official)
    post(client, f"/api/v1/calls/{call.pk}/award/", {"application": application.pk, "reason": "Good."})
    response = post(client, f"/api/v1/calls/{call.pk}/award/", {"application": application.pk, "reason": "Again."})
    assert response.status_code == 409
    assert response.data["code"] == "call_decided"
    assert Call.objects.get(pk=call.pk).award_reason == "Good."


def test_a_resident_may_not_award_a_call(client_for, resident, call, community):
    application = apply(call)
    close(call)
    review_by_two(call, application, community, 80, 80)
    response = post(
        client_for(resident.user),
        f"/api/v1/calls/{call.pk}/award/",
        {"application": application.pk, "reason": "I like them."},
    )
    assert response.status_code == 403
    assert Call.objects.get(pk=call.pk).status == CallStatus.REVIEWING


# --- calls: conflicts of interest --------------------------------------------------------------


def test_an_official_declares_a_conflict_for_the_call(client_for, official, call):
    organisation = OrganisationFactory()
    response = post(
        client_for(official),
        f"/api/v1/calls/{call.pk}/declare-conflict/",
        {"organisation": organisation.pk, "reason": "My sister runs it."},
    )
    assert response.status_code == 201
    conflict = ConflictDeclaration.objects.get(pk=response.data["id"])
    assert (conflict.reviewer, conflict.organisation, conflict.call) == (official, organisation, call)
    assert audited(conflict, AuditAction.CREATE, official)


def test_a_conflict_is_declared_once(client_for, official, call):
    organisation = OrganisationFactory()
    client = client_for(official)
    body = {"organisation": organisation.pk, "reason": "My sister runs it."}
    post(client, f"/api/v1/calls/{call.pk}/declare-conflict/", body)
    response = post(client, f"/api/v1/calls/{call.pk}/declare-conflict/", body)
    assert response.status_code == 409
    assert response.data["code"] == "already_declared"
    assert ConflictDeclaration.objects.count() == 1


def test_a_conflict_needs_a_reason(client_for, official, call):
    response = post(
        client_for(official),
        f"/api/v1/calls/{call.pk}/declare-conflict/",
        {"organisation": OrganisationFactory().pk, "reason": " "},
    )
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["reason"]
    assert not ConflictDeclaration.objects.exists()


def test_a_conflict_on_another_communitys_call_is_a_404(client_for, call, other_community):
    stranger = OfficialPostFactory(community=other_community).user
    response = post(
        client_for(stranger),
        f"/api/v1/calls/{call.pk}/declare-conflict/",
        {"organisation": OrganisationFactory().pk, "reason": "Board member."},
    )
    assert response.status_code == 404
    assert not ConflictDeclaration.objects.exists()


# --- applications: applying and withdrawing ----------------------------------------------------


def submit(client, call, organisation, **fields):
    body = {
        "call": call.pk,
        "organisation": organisation.pk,
        "proposal": "Lunches every weekday.",
        "proposed_budget": "75000.00",
        **fields,
    }
    return post(client, "/api/v1/applications/", body)


def test_a_manager_applies_for_their_organisation(client_for, applicant, call):
    organisation, manager = applicant
    response = submit(client_for(manager), call, organisation)
    assert response.status_code == 201
    application = Application.objects.get(pk=response.data["id"])
    assert (application.call, application.organisation, application.proposed_budget) == (
        call,
        organisation,
        Decimal("75000.00"),
    )
    assert response.data["reviews"] is None
    assert audited(application, AuditAction.CREATE, manager)


def test_plain_staff_may_not_apply(client_for, call):
    organisation = OrganisationFactory()
    staff = MembershipFactory(organisation=organisation).user
    assert submit(client_for(staff), call, organisation).status_code == 403
    assert not Application.objects.exists()


def test_an_organisation_applies_once_per_call(client_for, applicant, call):
    organisation, manager = applicant
    client = client_for(manager)
    submit(client, call, organisation)
    response = submit(client, call, organisation)
    assert response.status_code == 409
    assert response.data["code"] == "already_applied"
    assert Application.objects.count() == 1


def test_an_application_needs_a_proposal_and_an_amount(client_for, applicant, call):
    organisation, manager = applicant
    response = submit(client_for(manager), call, organisation, proposal="", proposed_budget="a lot")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["proposed_budget"]
    response = submit(client_for(manager), call, organisation, proposal="  ")
    assert response.data["errors"] == {"proposal": ["Describe how you would deliver the service."]}
    assert not Application.objects.exists()


def test_applications_close_at_the_deadline(client_for, applicant, call):
    organisation, manager = applicant
    close(call)
    response = submit(client_for(manager), call, organisation)
    assert response.status_code == 400
    assert response.data["code"] == "deadline_passed"
    assert not Application.objects.exists()


def test_applying_to_a_call_the_organisation_cannot_see_is_a_404(client_for, applicant):
    organisation, manager = applicant
    cancelled = CallFactory(status=CallStatus.CANCELLED)
    assert submit(client_for(manager), cancelled, organisation).status_code == 404
    assert not Application.objects.exists()


def test_a_manager_withdraws_before_the_deadline(client_for, applicant, call):
    organisation, manager = applicant
    application = apply(call, organisation)
    response = post(client_for(manager), f"/api/v1/applications/{application.pk}/withdraw/")
    assert response.status_code == 200
    assert response.data["status"] == ApplicationStatus.WITHDRAWN
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN
    assert audited(application, AuditAction.CHANGE, manager)


def test_plain_staff_may_not_withdraw(client_for, call):
    application = apply(call)
    staff = MembershipFactory(organisation=application.organisation).user
    assert post(client_for(staff), f"/api/v1/applications/{application.pk}/withdraw/").status_code == 403
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_another_organisations_application_is_a_404(client_for, applicant, call):
    _, manager = applicant
    theirs = apply(call)
    client = client_for(manager)
    assert client.get(f"/api/v1/applications/{theirs.pk}/").status_code == 404
    assert post(client, f"/api/v1/applications/{theirs.pk}/withdraw/").status_code == 404
    assert Application.objects.get(pk=theirs.pk).status == ApplicationStatus.SUBMITTED


# --- applications: reading ---------------------------------------------------------------------


def test_an_organisation_lists_only_its_own_applications(client_for, applicant, call):
    organisation, manager = applicant
    own = apply(call, organisation)
    apply(call)
    assert ids(client_for(manager).get("/api/v1/applications/")) == {own.pk}


def test_an_official_lists_the_applications_to_their_communitys_calls(client_for, official, call):
    mine = {apply(call).pk, apply(call).pk}
    ApplicationFactory()
    assert ids(client_for(official).get("/api/v1/applications/")) == mine


def test_residents_see_no_applications(client_for, resident, call):
    application = apply(call)
    client = client_for(resident.user)
    assert client.get("/api/v1/applications/").data["count"] == 0
    assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 404


def test_applications_are_filtered_by_call_status_and_community(client_for, administrator, call):
    submitted = apply(call)
    withdrawn = apply(call)
    Application.objects.filter(pk=withdrawn.pk).update(status=ApplicationStatus.WITHDRAWN)
    ApplicationFactory()
    url = f"/api/v1/applications/?call={call.pk}&status=submitted&community={call.project.community_id}"
    assert ids(client_for(administrator).get(url)) == {submitted.pk}


def test_an_official_reads_the_reviews_in_the_application_detail(client_for, official, call, community):
    application = apply(call)
    close(call)
    review_by_two(call, application, community, 90, 50)
    response = client_for(official).get(f"/api/v1/applications/{application.pk}/")
    assert response.status_code == 200
    assert [review["total"] for review in response.data["reviews"]] == ["74.00", "74.00"]
    assert [score["score"] for score in response.data["reviews"][0]["scores"]] == [90, 50]


def test_the_applicant_does_not_read_the_reviews(client_for, applicant, call, community):
    organisation, manager = applicant
    application = apply(call, organisation)
    close(call)
    review_by_two(call, application, community, 90, 50)
    response = client_for(manager).get(f"/api/v1/applications/{application.pk}/")
    assert response.status_code == 200
    assert response.data["reviews"] is None


def test_the_list_leaves_the_reviews_to_the_detail(client_for, official, call):
    apply(call)
    assert client_for(official).get("/api/v1/applications/").data["results"][0]["reviews"] is None


# --- applications: reviews ---------------------------------------------------------------------


def review(client, application, body):
    return post(client, f"/api/v1/applications/{application.pk}/review/", body)


def test_an_official_reviews_after_the_deadline_and_the_call_moves_to_reviewing(client_for, official, call):
    application = apply(call)
    close(call)
    response = review(client_for(official), application, {"scores": scores(call, 90, 50), "comment": "Solid."})
    assert response.status_code == 201
    saved = Review.objects.get(pk=response.data["id"])
    assert (saved.reviewer, saved.total, saved.comment) == (official, Decimal("74.00"), "Solid.")
    assert sorted(saved.scores.values_list("score", flat=True)) == [50, 90]
    assert Call.objects.get(pk=call.pk).status == CallStatus.REVIEWING
    assert audited(saved, AuditAction.CREATE, official)


def test_every_criterion_must_be_scored(client_for, official, call):
    application = apply(call)
    close(call)
    experience = call.criteria.get(name="Experience")
    response = review(client_for(official), application, {"scores": {str(experience.pk): 90}})
    assert response.status_code == 400
    assert response.data["errors"] == {"scores": ["Score every criterion; missing: Price."]}
    assert not Review.objects.exists()


def test_a_score_that_is_not_a_whole_number_is_a_400(client_for, official, call):
    application = apply(call)
    close(call)
    response = review(client_for(official), application, {"scores": scores(call, "high", 50)})
    assert response.status_code == 400
    assert all(field.startswith("scores") for field in response.data["errors"])
    assert not Review.objects.exists()


def test_reviews_wait_for_the_deadline(client_for, official, call):
    application = apply(call)
    response = review(client_for(official), application, {"scores": scores(call, 90, 50)})
    assert response.status_code == 400
    assert response.data["code"] == "applications_open"
    assert not Review.objects.exists()


def test_a_reviewer_reviews_an_application_once(client_for, official, call):
    application = apply(call)
    close(call)
    client = client_for(official)
    review(client, application, {"scores": scores(call, 90, 50)})
    response = review(client, application, {"scores": scores(call, 10, 10)})
    assert response.status_code == 409
    assert response.data["code"] == "already_reviewed"
    assert Review.objects.get().total == Decimal("74.00")


def test_a_reviewer_who_declared_a_conflict_may_not_review(client_for, official, call):
    application = apply(call)
    selection.conflict_declare(
        reviewer=official, organisation=application.organisation, call=call, reason="Former employer."
    )
    close(call)
    assert review(client_for(official), application, {"scores": scores(call, 90, 50)}).status_code == 403
    assert not Review.objects.exists()


def test_an_official_of_another_community_gets_404_for_a_review(client_for, call, other_community):
    application = apply(call)
    close(call)
    stranger = OfficialPostFactory(community=other_community).user
    assert review(client_for(stranger), application, {"scores": scores(call, 90, 50)}).status_code == 404
    assert not Review.objects.exists()


def test_the_applicant_may_not_review_its_own_application(client_for, applicant, call):
    organisation, manager = applicant
    application = apply(call, organisation)
    close(call)
    assert review(client_for(manager), application, {"scores": scores(call, 100, 100)}).status_code == 403
    assert not Review.objects.exists()


# --- query counts ------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/api/v1/calls/", "/api/v1/applications/"])
def test_a_list_keeps_its_query_count_from_5_to_50_rows(
    url, client_for, official, community, django_assert_num_queries
):
    project = ProjectFactory(community=community, stage=Stage.DESIGN, service_item=ServiceListItemFactory())
    call = CallFactory(project=project)

    def a_call():
        # Each on its own project: a project has one call under way at a time.
        own_project = ProjectFactory(community=community, stage=Stage.DESIGN, service_item=project.service_item)
        CriterionFactory.create_batch(2, call=CallFactory(project=own_project))

    build = {"/api/v1/calls/": a_call, "/api/v1/applications/": lambda: ApplicationFactory(call=call)}[url]
    client = client_for(official)
    for _ in range(5):
        build()
    at_five = queries_for(client, url)
    for _ in range(45):
        build()
    with django_assert_num_queries(at_five):
        response = client.get(url)
    assert response.data["count"] >= 50
