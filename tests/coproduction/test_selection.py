"""Selection: officials open calls, approved organisations apply, officials without conflicts score, one wins."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction import signals
from coproduction.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    Participation,
    ParticipationRole,
    Review,
    ReviewScore,
    Stage,
)
from coproduction.selectors.selection import application_ranking
from coproduction.services.selection import (
    application_submit,
    application_withdraw,
    call_award,
    call_cancel,
    call_open,
    conflict_declare,
    review_submit,
)
from partners.models import OrganisationKind, OrganisationStatus
from tests.coproduction.conftest import (
    Selection,
    manager_of,
    official_of,
    resident_of,
    staff_of,
    street_official_of,
)
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    ServiceListItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    """The codes of every message in a refusal, whether keyed by field or not."""
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def audit_entries(instance, action=None):
    entries = AuditEntry.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name)
    return entries.filter(action=action) if action else entries


def in_a_week():
    """A deadline just past the minimum application window."""
    return timezone.now() + timedelta(days=7, hours=1)


def open_call(project, user, **overrides):
    arguments = {
        "project": project,
        "title": "Green-space care",
        "deadline": in_a_week(),
        "criteria": [("Experience", 60), ("Price", 40)],
        "user": user,
    }
    arguments.update(overrides)
    return call_open(**arguments)


def nothing_opened():
    return not Call.objects.exists() and not Criterion.objects.exists() and not AuditEntry.objects.exists()


# --- Opening a call --------------------------------------------------------------------------


def test_an_official_opens_a_call_with_weighted_criteria():
    project = ProjectFactory(stage=Stage.DESIGN)
    official = official_of(project.community)

    call = open_call(project, official, title=" Green-space care ", min_reviewers=3)

    assert (call.project, call.title, call.status) == (project, "Green-space care", CallStatus.OPEN)
    assert call.opened_by == official
    assert call.min_reviewers == 3
    assert sorted(call.criteria.values_list("name", "weight")) == [("Experience", 60), ("Price", 40)]
    entry = audit_entries(call).get()
    assert entry.action == AuditAction.CREATE and entry.actor == official
    assert [c["name"] for c in entry.after["criteria"]] == ["Experience", "Price"]


def test_criteria_may_be_given_with_descriptions():
    project = ProjectFactory(stage=Stage.DESIGN)
    criteria = [
        {"name": "Licence", "weight": 30, "description": "Food-service licence held"},
        ("Price", 70, "Per meal"),
    ]

    call = open_call(project, official_of(project.community), criteria=criteria)

    assert dict(call.criteria.values_list("name", "description")) == {
        "Licence": "Food-service licence held",
        "Price": "Per meal",
    }


def test_a_street_official_opens_calls_in_the_communities_of_the_street():
    project = ProjectFactory(stage=Stage.DESIGN)

    call = open_call(project, street_official_of(project.community.street))

    assert call.status == CallStatus.OPEN


def test_an_official_of_another_community_cannot_open_a_call():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(PermissionDenied):
        open_call(project, official_of(CommunityFactory()))

    assert nothing_opened()


@pytest.mark.parametrize(
    "who",
    [resident_of, lambda community: manager_of(OrganisationFactory(home_community=community))],
    ids=["resident", "manager_of_a_local_organisation"],
)
def test_residents_and_organisation_staff_cannot_open_a_call(who):
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(PermissionDenied):
        open_call(project, who(project.community))

    assert nothing_opened()


@pytest.mark.parametrize("stage", [Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED])
def test_a_call_is_opened_only_in_the_design_stage(stage):
    project = ProjectFactory(stage=stage)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community))

    assert codes(caught.value) == {"project_not_in_design"}
    assert nothing_opened()


def test_a_call_needs_a_published_service_list_item():
    project = ProjectFactory(stage=Stage.DESIGN, service_item=ServiceListItemFactory(draft=True))

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community))

    assert codes(caught.value) == {"item_not_published"}
    assert nothing_opened()


def test_the_deadline_must_be_in_the_future():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), deadline=timezone.now() - timedelta(minutes=1))

    assert caught.value.message_dict == {"deadline": ["The deadline must be in the future."]}
    assert nothing_opened()


def test_the_weights_must_add_up_to_exactly_100_and_the_message_says_their_sum():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), criteria=[("Experience", 60), ("Price", 30)])

    assert caught.value.message_dict == {"criteria": ["The weights add up to 90; they must add up to exactly 100."]}
    assert nothing_opened()


def test_a_call_needs_at_least_one_criterion():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), criteria=[])

    assert codes(caught.value) == {"no_criteria"}
    assert nothing_opened()


def test_each_criterion_appears_once_whatever_its_case():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), criteria=[("Price", 50), ("price", 50)])

    assert codes(caught.value) == {"criterion_name_repeated"}
    assert nothing_opened()


@pytest.mark.parametrize("weights", [(0, 100), (101, -1), ("50", 50)], ids=["zero", "over_100", "not_a_number"])
def test_each_weight_is_a_whole_number_from_1_to_100(weights):
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), criteria=[("Experience", weights[0]), ("Price", weights[1])])

    assert codes(caught.value) == {"criterion_weight_range"}
    assert nothing_opened()


def test_criterion_names_fit_their_column():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), criteria=[("x" * 101, 100)])

    assert codes(caught.value) == {"criterion_too_long"}
    assert nothing_opened()


def test_a_call_needs_two_reviewers_per_application_at_least():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), min_reviewers=1)

    assert codes(caught.value) == {"too_few_reviewers"}
    assert nothing_opened()


def test_every_field_error_of_a_call_is_reported_at_once():
    project = ProjectFactory(stage=Stage.DESIGN)

    with pytest.raises(ValidationError) as caught:
        open_call(project, official_of(project.community), title=" ", deadline=timezone.now(), criteria=[("Price", 99)])

    assert set(caught.value.message_dict) == {"title", "deadline", "criteria"}
    assert nothing_opened()


# --- Conflicts of interest -------------------------------------------------------------------


def test_a_reviewer_declares_a_conflict_for_one_call(selection):
    reviewer, organisation = selection.reviewers[0], OrganisationFactory()

    conflict = conflict_declare(
        reviewer=reviewer, organisation=organisation, call=selection.call, reason=" Sister works there "
    )

    assert (conflict.reviewer, conflict.organisation, conflict.call, conflict.reason) == (
        reviewer,
        organisation,
        selection.call,
        "Sister works there",
    )
    assert audit_entries(conflict, AuditAction.CREATE).get().actor == reviewer


def test_a_reviewer_declares_a_conflict_for_every_call():
    reviewer, organisation = official_of(CommunityFactory()), OrganisationFactory()

    conflict = conflict_declare(reviewer=reviewer, organisation=organisation, reason="Board member")

    assert conflict.call is None
    assert ConflictDeclaration.objects.filter(reviewer=reviewer, call__isnull=True).count() == 1


def test_a_conflict_is_declared_by_a_signed_in_reviewer():
    with pytest.raises(PermissionDenied):
        conflict_declare(reviewer=AnonymousUser(), organisation=OrganisationFactory(), reason="Board member")

    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("for_the_call", [True, False], ids=["for_the_call", "for_every_call"])
def test_only_officials_declare_conflicts(selection, for_the_call):
    other_official, resident_user = official_of(CommunityFactory()), ResidentFactory(user=UserFactory()).user
    reviewers = [resident_user] + ([other_official] if for_the_call else [])

    for reviewer in reviewers:
        with pytest.raises(PermissionDenied):
            conflict_declare(
                reviewer=reviewer,
                organisation=OrganisationFactory(),
                reason="Board member",
                call=selection.call if for_the_call else None,
            )

    assert not ConflictDeclaration.objects.exists()


def test_a_conflict_needs_a_reason():
    with pytest.raises(ValidationError) as caught:
        conflict_declare(reviewer=official_of(CommunityFactory()), organisation=OrganisationFactory(), reason="  ")

    assert codes(caught.value) == {"reason_required"}
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("first_for_the_call", [True, False], ids=["for_the_call", "for_every_call"])
def test_a_conflict_is_declared_once(selection, first_for_the_call):
    reviewer, organisation = selection.reviewers[0], OrganisationFactory()
    conflict_declare(
        reviewer=reviewer,
        organisation=organisation,
        reason="Board member",
        call=selection.call if first_for_the_call else None,
    )

    with pytest.raises(ValidationError) as caught:
        conflict_declare(reviewer=reviewer, organisation=organisation, reason="Again", call=selection.call)

    assert codes(caught.value) == {"already_declared"}
    assert ConflictDeclaration.objects.count() == 1


def test_a_conflict_for_every_call_may_follow_one_for_a_single_call(selection):
    reviewer, organisation = selection.reviewers[0], OrganisationFactory()
    conflict_declare(reviewer=reviewer, organisation=organisation, reason="Board member", call=selection.call)

    conflict_declare(reviewer=reviewer, organisation=organisation, reason="Board member")

    assert ConflictDeclaration.objects.filter(reviewer=reviewer).count() == 2


# --- Applications ----------------------------------------------------------------------------


def apply(call, organisation, user=None, **overrides):
    arguments = {
        "call": call,
        "organisation": organisation,
        "user": user or manager_of(organisation),
        "proposal": "Weekly weeding and watering.",
        "proposed_budget": Decimal("50000.00"),
    }
    arguments.update(overrides)
    return application_submit(**arguments)


def test_a_manager_applies_for_an_approved_organisation(selection):
    organisation = OrganisationFactory()
    manager = manager_of(organisation)

    application = apply(selection.call, organisation, manager)

    assert (application.call, application.organisation) == (selection.call, organisation)
    assert application.submitted_by == manager
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.proposed_budget == Decimal("50000.00")
    assert audit_entries(application, AuditAction.CREATE).get().actor == manager


def test_staff_who_do_not_manage_the_organisation_cannot_apply(selection):
    organisation = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        apply(selection.call, organisation, staff_of(organisation))

    assert not Application.objects.exists()


def test_a_manager_of_another_organisation_cannot_apply_for_it(selection):
    with pytest.raises(PermissionDenied):
        apply(selection.call, OrganisationFactory(), manager_of(OrganisationFactory()))

    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "status, code",
    [
        (OrganisationStatus.APPLICANT, "not_approved"),
        (OrganisationStatus.SUSPENDED, "suspended"),
        (OrganisationStatus.BLACKLISTED, "blacklisted"),
    ],
)
def test_only_approved_organisations_apply(selection, status, code):
    organisation = OrganisationFactory(status=status)

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, organisation)

    assert codes(caught.value) == {code}
    assert str(organisation) in caught.value.message_dict["organisation"][0]
    assert not Application.objects.exists()


def test_an_organisation_of_a_kind_the_item_does_not_allow_cannot_apply(selection):
    government = OrganisationFactory(kind=OrganisationKind.GOVERNMENT)

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, government)

    assert codes(caught.value) == {"kind_not_allowed"}
    assert not Application.objects.exists()


def test_the_kind_refusal_names_the_kind_as_the_platform_labels_it(selection):
    government = OrganisationFactory(kind=OrganisationKind.GOVERNMENT)

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, government)

    assert caught.value.message_dict["organisation"] == [
        f"{selection.call.project.service_item.name} may not be delivered by organisations of the kind "
        "“Government body”."
    ]
    assert not Application.objects.exists()


def test_applications_close_at_the_deadline(selection):
    selection.close_applications()

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, OrganisationFactory())

    assert codes(caught.value) == {"deadline_passed"}
    assert not Application.objects.exists()


def test_a_cancelled_call_takes_no_applications(selection):
    call_cancel(call=selection.call, user=selection.official, reason="The budget was cut.")

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, OrganisationFactory())

    assert codes(caught.value) == {"call_not_open"}
    assert not Application.objects.exists()


def test_an_organisation_applies_once_per_call(selection):
    organisation = OrganisationFactory()
    apply(selection.call, organisation)

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, organisation)

    assert codes(caught.value) == {"already_applied"}
    assert Application.objects.filter(organisation=organisation).count() == 1


def test_a_negative_budget_is_refused_with_a_field_error(selection):
    with pytest.raises(ValidationError) as caught:
        apply(selection.call, OrganisationFactory(), proposed_budget=Decimal("-0.01"))

    assert caught.value.message_dict == {"proposed_budget": ["The budget cannot be negative."]}
    assert not Application.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="application").exists()


@pytest.mark.parametrize(
    "budget, message",
    [
        ("a lot", "“a lot” value must be a decimal number."),
        (Decimal("100.001"), "Ensure that there are no more than 2 decimal places."),
        (None, "This field cannot be null."),
    ],
)
def test_a_budget_that_is_not_an_amount_is_refused_with_a_field_error(selection, budget, message):
    with pytest.raises(ValidationError) as caught:
        apply(selection.call, OrganisationFactory(), proposed_budget=budget)

    assert caught.value.message_dict == {"proposed_budget": [message]}
    assert not Application.objects.exists()


def test_a_budget_of_nothing_is_accepted(selection):
    assert apply(selection.call, OrganisationFactory(), proposed_budget=Decimal("0")).proposed_budget == 0


def test_an_application_needs_a_proposal(selection):
    with pytest.raises(ValidationError) as caught:
        apply(selection.call, OrganisationFactory(), proposal="   ")

    assert set(caught.value.message_dict) == {"proposal"}
    assert not Application.objects.exists()


def test_an_organisation_withdraws_before_the_deadline(selection):
    application = selection.apply()
    manager = manager_of(application.organisation)

    application_withdraw(application=application, user=manager)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    entry = audit_entries(application, AuditAction.CHANGE).get()
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "withdrawn")


def test_an_organisation_cannot_withdraw_after_the_deadline(selection):
    application = selection.apply()
    selection.close_applications()

    with pytest.raises(ValidationError) as caught:
        application_withdraw(application=application, user=manager_of(application.organisation))

    assert codes(caught.value) == {"deadline_passed"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_only_a_manager_withdraws_an_application(selection):
    application = selection.apply()

    with pytest.raises(PermissionDenied):
        application_withdraw(application=application, user=staff_of(application.organisation))

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_withdrawn_organisation_cannot_apply_again_to_the_call(selection):
    application = selection.apply()
    application_withdraw(application=application, user=manager_of(application.organisation))

    with pytest.raises(ValidationError) as caught:
        apply(selection.call, application.organisation)

    assert codes(caught.value) == {"already_applied"}
    assert Application.objects.count() == 1


# --- Reviews ---------------------------------------------------------------------------------


def test_a_reviewer_scores_every_criterion_and_the_weighted_total_is_stored(selection):
    application = selection.apply()
    selection.close_applications()
    experience, price = selection.criteria

    review = review_submit(
        application=application,
        reviewer=selection.reviewers[0],
        scores={experience.pk: 80, price.pk: 65},
        comment="Strong kitchen team.",
    )

    assert review.total == Decimal("74.00")  # (80 x 60 + 65 x 40) / 100
    assert dict(ReviewScore.objects.filter(review=review).values_list("criterion__name", "score")) == {
        "Experience": 80,
        "Price": 65,
    }
    entry = audit_entries(review, AuditAction.CREATE).get()
    assert entry.after["scores"] == {"Experience": 80, "Price": 65}


def test_scores_may_be_keyed_by_the_criterion_ids_as_text(selection):
    application = selection.apply()
    selection.close_applications()

    review = review_submit(
        application=application,
        reviewer=selection.reviewers[0],
        scores={str(criterion.pk): 50 for criterion in selection.criteria},
    )

    assert review.total == Decimal("50.00")


def test_the_first_review_moves_the_call_to_reviewing(selection):
    application = selection.apply()
    selection.close_applications()

    selection.review(application, 70, 70)

    selection.call.refresh_from_db()
    assert selection.call.status == CallStatus.REVIEWING
    entry = audit_entries(selection.call, AuditAction.TRANSITION).get()
    assert (entry.before["status"], entry.after["status"]) == ("open", "reviewing")


def test_reviews_wait_for_the_deadline(selection):
    application = selection.apply()

    with pytest.raises(ValidationError) as caught:
        selection.review(application, 70, 70)

    assert codes(caught.value) == {"applications_open"}
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        lambda community: official_of(CommunityFactory()),
        resident_of,
        lambda community: UserFactory(),
    ],
    ids=["official_elsewhere", "resident", "nobody"],
)
def test_only_an_official_of_the_community_reviews(selection, who):
    application = selection.apply()
    selection.close_applications()

    with pytest.raises(PermissionDenied):
        selection.review(application, 70, 70, reviewer=who(selection.community))

    assert not Review.objects.exists() and not ReviewScore.objects.exists()


def test_a_member_of_the_applicant_cannot_review_its_application(selection):
    application = selection.apply()
    reviewer = selection.reviewers[0]
    MembershipFactory(user=reviewer, organisation=application.organisation)
    selection.close_applications()

    with pytest.raises(PermissionDenied) as caught:
        selection.review(application, 70, 70, reviewer=reviewer)

    assert "cannot review its application" in str(caught.value)
    assert not Review.objects.exists()


@pytest.mark.parametrize("for_the_call", [True, False], ids=["for_this_call", "for_every_call"])
def test_a_reviewer_who_declared_a_conflict_cannot_review(selection, for_the_call):
    application = selection.apply()
    reviewer = selection.reviewers[0]
    conflict_declare(
        reviewer=reviewer,
        organisation=application.organisation,
        reason="Former employer",
        call=selection.call if for_the_call else None,
    )
    selection.close_applications()

    with pytest.raises(PermissionDenied) as caught:
        selection.review(application, 70, 70, reviewer=reviewer)

    assert "conflict of interest" in str(caught.value)
    assert not Review.objects.exists()


def test_a_conflict_declared_for_another_call_does_not_bar_the_reviewer(selection):
    application = selection.apply()
    reviewer = selection.reviewers[0]
    other = Selection()
    OfficialPostFactory(user=reviewer, community=other.call.project.community)
    conflict_declare(reviewer=reviewer, organisation=application.organisation, reason="Advised them", call=other.call)
    selection.close_applications()

    review = selection.review(application, 70, 70, reviewer=reviewer)

    assert review.pk and Review.objects.filter(reviewer=reviewer).count() == 1


def test_every_criterion_must_be_scored(selection):
    application = selection.apply()
    selection.close_applications()
    experience, _price = selection.criteria

    with pytest.raises(ValidationError) as caught:
        review_submit(application=application, reviewer=selection.reviewers[0], scores={experience.pk: 70})

    assert caught.value.message_dict == {"scores": ["Score every criterion; missing: Price."]}
    assert not Review.objects.exists() and not ReviewScore.objects.exists()


@pytest.mark.parametrize("score", [-1, 101, 70.5, "70", None])
def test_each_score_is_a_whole_number_from_0_to_100(selection, score):
    application = selection.apply()
    selection.close_applications()

    with pytest.raises(ValidationError) as caught:
        selection.review(application, 70, score)

    assert caught.value.message_dict == {"scores": ["The score for Price must be a whole number from 0 to 100."]}
    assert not Review.objects.exists()


@pytest.mark.parametrize("score", [0, 100])
def test_a_score_may_be_0_or_100(selection, score):
    application = selection.apply()
    selection.close_applications()

    review = selection.review(application, score, score)

    assert review.total == Decimal(score)


def test_a_score_for_a_criterion_of_another_call_is_refused(selection):
    application = selection.apply()
    selection.close_applications()
    stranger = Selection().criteria[0]

    with pytest.raises(ValidationError) as caught:
        review_submit(
            application=application,
            reviewer=selection.reviewers[0],
            scores={**selection.scores(70, 70), stranger.pk: 90},
        )

    assert codes(caught.value) == {"score_unknown_criterion"}
    assert not Review.objects.exists()


def test_a_reviewer_reviews_an_application_once(selection):
    application = selection.apply()
    selection.close_applications()
    selection.review(application, 70, 70)

    with pytest.raises(ValidationError) as caught:
        selection.review(application, 90, 90)

    assert codes(caught.value) == {"already_reviewed"}
    assert Review.objects.get().total == Decimal("70.00")


def test_a_withdrawn_application_is_not_reviewed(selection):
    application = selection.apply()
    application_withdraw(application=application, user=manager_of(application.organisation))
    selection.close_applications()

    with pytest.raises(ValidationError) as caught:
        selection.review(application, 70, 70)

    assert codes(caught.value) == {"application_withdrawn"}
    assert not Review.objects.exists()


# --- Ranking ---------------------------------------------------------------------------------


def test_applications_rank_by_their_mean_review_total(selection):
    fair, best, unreviewed = selection.apply(), selection.apply(), selection.apply()
    selection.close_applications()
    selection.review(fair, 60, 60, reviewer=selection.reviewers[0])
    selection.review(fair, 80, 80, reviewer=selection.reviewers[1])
    selection.review_by_all(best, 90, 80)

    ranking = list(application_ranking(selection.call))

    assert ranking == [best, fair, unreviewed]
    assert [(a.mean_total, a.review_count) for a in ranking] == [
        (Decimal("86.00"), 2),
        (Decimal("70.00"), 2),
        (None, 0),
    ]


def test_withdrawn_applications_are_left_out_of_the_ranking(selection):
    kept, withdrawn = selection.apply(), selection.apply()
    application_withdraw(application=withdrawn, user=manager_of(withdrawn.organisation))

    assert list(application_ranking(selection.call)) == [kept]


def test_the_ranking_takes_one_query_however_many_applications(selection, django_assert_num_queries):
    few = [selection.apply() for _ in range(2)]
    selection.close_applications()
    for application in few:
        selection.review_by_all(application, 70, 70)
    crowded = Selection()
    for _ in range(12):
        crowded.apply()

    with django_assert_num_queries(1):
        assert len(list(application_ranking(selection.call))) == 2
    with django_assert_num_queries(1):
        ranking = list(application_ranking(crowded.call))
        assert [str(application.organisation) for application in ranking]  # organisations come with the rows
        assert len(ranking) == 12


# --- The award -------------------------------------------------------------------------------


def reviewed(selection, *totals):
    """Applications reviewed by both reviewers, each scoring the given total on every criterion."""
    applications = [selection.apply() for _ in totals]
    selection.close_applications()
    for application, total in zip(applications, totals, strict=True):
        selection.review_by_all(application, total, total)
    return applications


def award(selection, application, **overrides):
    arguments = {
        "call": selection.call,
        "application": application,
        "user": selection.official,
        "reason": "Best score and a kitchen licence in hand.",
    }
    arguments.update(overrides)
    return call_award(**arguments)


def test_an_official_awards_the_call_with_a_reason(selection):
    winner, runner_up = reviewed(selection, 85, 70)

    call = award(selection, winner)

    call.refresh_from_db()
    assert (call.status, call.awarded_application, call.awarded_by) == (CallStatus.AWARDED, winner, selection.official)
    assert call.award_reason == "Best score and a kitchen licence in hand." and call.awarded_at is not None
    assert (call.single_applicant, call.against_ranking) == (False, False)
    assert dict(Application.objects.values_list("pk", "status")) == {
        winner.pk: ApplicationStatus.AWARDED,
        runner_up.pk: ApplicationStatus.NOT_AWARDED,
    }
    entry = audit_entries(call, AuditAction.TRANSITION).get(after__status="awarded")
    assert (entry.before["status"], entry.actor, entry.note) == ("reviewing", selection.official, call.award_reason)
    assert audit_entries(runner_up, AuditAction.CHANGE).get().after["status"] == "not_awarded"


def test_the_winner_joins_the_project_as_a_provider(selection):
    winner, _ = reviewed(selection, 85, 70)

    award(selection, winner)

    participation = Participation.objects.get(project=selection.project)
    assert (participation.organisation, participation.role) == (winner.organisation, ParticipationRole.PROVIDER)
    assert participation.joined_on == timezone.localdate() and participation.left_on is None
    assert audit_entries(participation, AuditAction.CREATE).exists()


def test_a_winner_already_providing_for_the_project_is_not_added_twice(selection):
    winner, _ = reviewed(selection, 85, 70)
    ParticipationFactory(project=selection.project, organisation=winner.organisation, role=ParticipationRole.PROVIDER)

    award(selection, winner)

    assert Participation.objects.filter(project=selection.project, organisation=winner.organisation).count() == 1


def test_a_winner_that_had_left_the_project_rejoins_it(selection):
    winner, _ = reviewed(selection, 85, 70)
    ParticipationFactory(
        project=selection.project,
        organisation=winner.organisation,
        role=ParticipationRole.PROVIDER,
        left_on=timezone.localdate(),
    )

    award(selection, winner)

    participation = Participation.objects.get(project=selection.project, organisation=winner.organisation)
    assert participation.left_on is None


def test_the_award_announces_itself_to_the_apps_above(selection):
    winner, _ = reviewed(selection, 85, 70)
    heard = []

    def receiver(sender, call, by, **kwargs):
        heard.append((sender, call.pk, call.status, by))

    signals.call_awarded.connect(receiver)
    try:
        award(selection, winner)
    finally:
        signals.call_awarded.disconnect(receiver)

    assert heard == [(Call, selection.call.pk, CallStatus.AWARDED, selection.official)]


def test_an_award_with_a_single_applicant_is_flagged(selection):
    (only,) = reviewed(selection, 85)

    call = award(selection, only)

    assert call.single_applicant and not call.against_ranking
    assert Call.objects.filter(pk=call.pk, single_applicant=True).exists()


def test_a_withdrawn_rival_leaves_a_single_applicant(selection):
    only, rival = selection.apply(), selection.apply()
    application_withdraw(application=rival, user=manager_of(rival.organisation))
    selection.close_applications()
    selection.review_by_all(only, 85, 85)

    call = award(selection, only)

    assert call.single_applicant
    rival.refresh_from_db()
    assert rival.status == ApplicationStatus.WITHDRAWN


def test_an_award_against_the_ranking_is_flagged(selection):
    best, second = reviewed(selection, 90, 70)

    call = award(selection, second, reason="Local staff, and the cheaper kitchen refit.")

    assert call.against_ranking and not call.single_applicant
    assert Call.objects.filter(pk=call.pk, against_ranking=True, awarded_application=second).exists()


def test_a_tie_for_first_place_is_not_against_the_ranking(selection):
    first, tied = reviewed(selection, 80, 80)

    call = award(selection, tied)

    assert not call.against_ranking


def test_an_award_needs_a_reason(selection):
    winner, _ = reviewed(selection, 85, 70)

    with pytest.raises(ValidationError) as caught:
        award(selection, winner, reason="  ")

    assert codes(caught.value) == {"reason_required"}
    assert_not_awarded(selection)


def assert_not_awarded(selection):
    call = Call.objects.get(pk=selection.call.pk)
    assert call.status != CallStatus.AWARDED and call.awarded_application is None
    assert not Participation.objects.filter(project=selection.project).exists()
    assert (
        not Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.SUBMITTED)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    )
    awarded = AuditEntry.objects.filter(
        content_type__model="call", action=AuditAction.TRANSITION, after__status="awarded"
    )
    assert not awarded.exists()


def test_an_award_waits_for_every_review_and_says_how_many_are_missing(selection):
    winner, half_reviewed, _unreviewed = selection.apply(), selection.apply(), selection.apply()
    selection.close_applications()
    selection.review_by_all(winner, 85, 85)
    selection.review(half_reviewed, 70, 70)

    with pytest.raises(ValidationError) as caught:
        award(selection, winner)

    assert caught.value.messages == ["3 reviews are still missing on 2 applications; each needs 2."]
    assert codes(caught.value) == {"reviews_missing"}
    assert_not_awarded(selection)


def test_an_award_before_the_deadline_is_refused(selection):
    application = selection.apply()

    with pytest.raises(ValidationError) as caught:
        award(selection, application)

    assert codes(caught.value) == {"applications_open"}
    assert_not_awarded(selection)


@pytest.mark.parametrize(
    "who",
    [
        lambda selection, winner: official_of(CommunityFactory()),
        lambda selection, winner: manager_of(winner.organisation),
        lambda selection, winner: resident_of(selection.community),
    ],
    ids=["official_elsewhere", "winner_s_manager", "resident"],
)
def test_only_an_official_of_the_community_awards(selection, who):
    winner, _ = reviewed(selection, 85, 70)

    with pytest.raises(PermissionDenied):
        award(selection, winner, user=who(selection, winner))

    assert_not_awarded(selection)


def test_an_application_to_another_call_cannot_win(selection):
    reviewed(selection, 85)
    stranger = Selection().apply()

    with pytest.raises(ValidationError) as caught:
        award(selection, stranger)

    assert codes(caught.value) == {"wrong_call"}
    assert_not_awarded(selection)


def test_a_withdrawn_application_cannot_win(selection):
    withdrawn, kept = selection.apply(), selection.apply()
    application_withdraw(application=withdrawn, user=manager_of(withdrawn.organisation))
    selection.close_applications()
    selection.review_by_all(kept, 80, 80)

    with pytest.raises(ValidationError) as caught:
        award(selection, withdrawn)

    assert codes(caught.value) == {"application_withdrawn"}
    assert_not_awarded(selection)


def test_a_winner_suspended_since_it_applied_cannot_be_awarded(selection):
    winner, _ = reviewed(selection, 85, 70)
    winner.organisation.status = OrganisationStatus.SUSPENDED
    winner.organisation.save()

    with pytest.raises(ValidationError) as caught:
        award(selection, winner)

    assert codes(caught.value) == {"suspended"}
    assert_not_awarded(selection)


def test_a_call_is_awarded_once(selection):
    winner, runner_up = reviewed(selection, 85, 70)
    award(selection, winner)

    with pytest.raises(ValidationError) as caught:
        award(selection, runner_up, user=official_of(selection.community))

    assert codes(caught.value) == {"call_decided"}
    assert Call.objects.get(pk=selection.call.pk).awarded_application == winner
    assert Participation.objects.filter(project=selection.project).count() == 1


def test_an_awarded_call_takes_no_more_reviews(selection):
    winner, runner_up = reviewed(selection, 85, 70)
    award(selection, winner)

    with pytest.raises(ValidationError) as caught:
        selection.review(runner_up, 100, 100, reviewer=official_of(selection.community))

    assert codes(caught.value) == {"call_decided"}
    assert Review.objects.filter(application=runner_up).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_officials_awarding_at_once_leave_one_winner():
    selection = Selection()
    first, second = reviewed(selection, 85, 70)
    officials = [selection.official, official_of(selection.community)]
    barrier = threading.Barrier(2)
    outcomes = []

    def award_as(official, application):
        try:
            barrier.wait()
            call_award(call=selection.call, application=application, user=official, reason="Our pick.")
            outcomes.append("awarded")
        except ValidationError as error:
            outcomes.append(codes(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=award_as, args=pair) for pair in zip(officials, [first, second], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == ["awarded", {"call_decided"}]
    call = Call.objects.get(pk=selection.call.pk)
    assert call.status == CallStatus.AWARDED
    assert Participation.objects.filter(project=selection.project).count() == 1
    assert Application.objects.filter(call=call, status=ApplicationStatus.AWARDED).get() == call.awarded_application
    assert AuditEntry.objects.filter(content_type__model="call", after__status="awarded").count() == 1


# --- Cancelling ------------------------------------------------------------------------------


def test_an_official_cancels_a_call_with_a_reason(selection):
    application = selection.apply()

    call = call_cancel(call=selection.call, user=selection.official, reason="The budget was cut.")

    assert call.status == CallStatus.CANCELLED
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOT_AWARDED
    entry = audit_entries(call, AuditAction.TRANSITION).get()
    assert (entry.after["status"], entry.note) == ("cancelled", "The budget was cut.")


def test_a_call_is_cancelled_only_with_a_reason(selection):
    with pytest.raises(ValidationError) as caught:
        call_cancel(call=selection.call, user=selection.official, reason="")

    assert codes(caught.value) == {"reason_required"}
    assert Call.objects.get(pk=selection.call.pk).status == CallStatus.OPEN


def test_an_official_of_another_community_cannot_cancel_a_call(selection):
    with pytest.raises(PermissionDenied):
        call_cancel(call=selection.call, user=official_of(CommunityFactory()), reason="Not mine.")

    assert Call.objects.get(pk=selection.call.pk).status == CallStatus.OPEN


def test_an_awarded_call_cannot_be_cancelled(selection):
    (winner,) = reviewed(selection, 85)
    award(selection, winner)

    with pytest.raises(ValidationError) as caught:
        call_cancel(call=selection.call, user=selection.official, reason="Changed our mind.")

    assert codes(caught.value) == {"call_decided"}
    assert Call.objects.get(pk=selection.call.pk).status == CallStatus.AWARDED
