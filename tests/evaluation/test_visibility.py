"""Who sees evaluation records: evaluations follow their project, ratings narrow to the rater, trust is public."""

import pytest
from django.contrib.auth.models import AnonymousUser

from evaluation.models import Evaluation, Indicator, IndicatorScore, Rating, TrustScore
from tests.evaluation.conftest import administrator, official_of, resident_user_of, staff_of, street_official_of
from tests.factories import (
    CommunityFactory,
    EvaluationFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    RatingFactory,
    ResidentFactory,
    TrustScoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def provider(project):
    return ParticipationFactory(project=project).organisation


@pytest.fixture
def evaluation(project):
    return IndicatorScoreFactory(evaluation=EvaluationFactory(project=project)).evaluation


@pytest.fixture
def elsewhere():
    """An evaluation, with a score, of a project in another community."""
    return IndicatorScoreFactory().evaluation


def visible(model, user) -> set:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


# --- evaluations and their scores follow the project ------------------------------------------


def test_officials_of_the_community_see_its_evaluations(project, evaluation, elsewhere):
    user = official_of(project.community)

    assert visible(Evaluation, user) == {evaluation.pk}
    assert visible(IndicatorScore, user) == set(evaluation.scores.values_list("pk", flat=True))


def test_a_street_official_sees_the_evaluations_of_the_communities_below(project, evaluation, elsewhere):
    assert visible(Evaluation, street_official_of(project.community.street)) == {evaluation.pk}


def test_an_evaluation_is_listed_once_however_many_residents_its_community_has(project, evaluation):
    ResidentFactory.create_batch(3, community=project.community)
    official = official_of(project.community)

    assert Evaluation.objects.visible_to(official).count() == 1
    assert Rating.objects.visible_to(official).count() == 0
    assert IndicatorScore.objects.visible_to(official).count() == 1


def test_staff_of_a_participating_organisation_see_the_projects_evaluations(provider, evaluation, elsewhere):
    user = staff_of(provider)

    assert visible(Evaluation, user) == {evaluation.pk}
    assert visible(IndicatorScore, user) == set(evaluation.scores.values_list("pk", flat=True))


def test_residents_of_the_community_see_its_evaluations(project, evaluation, elsewhere):
    assert visible(Evaluation, resident_user_of(project.community)) == {evaluation.pk}


def test_nobody_of_another_community_sees_its_evaluations(evaluation):
    other = CommunityFactory()

    for user in (official_of(other), resident_user_of(other), staff_of(OrganisationFactory()), UserFactory()):
        assert visible(Evaluation, user) == set()
        assert visible(IndicatorScore, user) == set()


def test_an_anonymous_visitor_sees_no_evaluation(evaluation):
    assert visible(Evaluation, AnonymousUser()) == set()
    assert visible(IndicatorScore, AnonymousUser()) == set()


def test_an_administrator_sees_every_evaluation(evaluation, elsewhere):
    assert visible(Evaluation, administrator()) == {evaluation.pk, elsewhere.pk}
    assert visible(IndicatorScore, administrator()) == set(IndicatorScore.objects.values_list("pk", flat=True))


# --- ratings narrow to the rater --------------------------------------------------------------


@pytest.fixture
def neighbours_ratings(project):
    """Two residents' ratings of the project, and one of a project elsewhere."""
    mine = RatingFactory(project=project, resident=ResidentFactory(community=project.community, user=UserFactory()))
    theirs = RatingFactory(project=project)
    RatingFactory()
    return mine, theirs


def test_officials_of_the_community_see_every_rating_of_its_projects(project, neighbours_ratings):
    mine, theirs = neighbours_ratings

    assert visible(Rating, official_of(project.community)) == {mine.pk, theirs.pk}


def test_staff_of_the_projects_organisations_see_every_rating(provider, neighbours_ratings):
    mine, theirs = neighbours_ratings

    assert visible(Rating, staff_of(provider)) == {mine.pk, theirs.pk}


def test_a_resident_sees_only_their_own_ratings(neighbours_ratings):
    mine, _theirs = neighbours_ratings

    assert visible(Rating, mine.resident.user) == {mine.pk}


def test_an_official_of_another_community_sees_no_rating(neighbours_ratings):
    assert visible(Rating, official_of(CommunityFactory())) == set()


def test_an_anonymous_visitor_sees_no_rating(neighbours_ratings):
    assert visible(Rating, AnonymousUser()) == set()


# --- indicators and trust scores are public to the signed-in ------------------------------------


@pytest.mark.parametrize("model,factory", [(Indicator, IndicatorFactory), (TrustScore, TrustScoreFactory)])
def test_every_signed_in_user_sees_indicators_and_trust_scores(model, factory):
    rows = {factory().pk, factory().pk}

    for user in (UserFactory(), resident_user_of(CommunityFactory()), official_of(CommunityFactory())):
        assert visible(model, user) == rows


@pytest.mark.parametrize("model,factory", [(Indicator, IndicatorFactory), (TrustScore, TrustScoreFactory)])
def test_an_anonymous_visitor_sees_no_indicator_or_trust_score(model, factory):
    factory()

    assert visible(model, AnonymousUser()) == set()


def test_an_inactive_account_sees_no_trust_score():
    TrustScoreFactory()

    assert visible(TrustScore, UserFactory(is_active=False)) == set()


def test_a_draft_items_indicators_are_seen_only_by_those_who_maintain_the_list():
    from service_list.models import ListItemStatus
    from tests.factories import ServiceListItemFactory

    draft = IndicatorFactory(service_item=ServiceListItemFactory(status=ListItemStatus.DRAFT))
    published = IndicatorFactory()

    assert visible(Indicator, official_of(CommunityFactory())) == {published.pk}
    assert visible(Indicator, street_official_of(CommunityFactory().street)) == {draft.pk, published.pk}
