"""Residents rate the projects of their community from 1 to 5, once a month each."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import Stage
from evaluation.models import Rating
from evaluation.services import ratings
from evaluation.services.ratings import rating_submit
from tests.factories import CommunityFactory, ProjectFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def resident(project):
    return ResidentFactory(community=project.community, user=UserFactory())


def error_code(caught) -> str:
    error = caught.value
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors][0]
    return error.error_list[0].code


def test_a_resident_rates_a_project_of_their_community(project, resident):
    rating = rating_submit(project=project, resident=resident, score=4, comment=" Warm meals. ", on=date(2025, 3, 17))

    assert (rating.project, rating.resident, rating.score, rating.comment) == (project, resident, 4, "Warm meals.")
    assert Rating.objects.get().period == date(2025, 3, 1)


def test_a_rating_is_for_the_current_month_by_default(project, resident):
    rating = rating_submit(project=project, resident=resident, score=5)

    assert rating.period == timezone.localdate().replace(day=1)


def test_a_rating_is_audited_with_the_resident_as_actor(project, resident):
    rating = rating_submit(project=project, resident=resident, score=3, on=date(2025, 3, 17))

    entry = AuditEntry.objects.get(content_type__model="rating", object_id=str(rating.pk))
    assert (entry.action, entry.actor, entry.after["score"]) == (AuditAction.CREATE, resident.user, 3)


def test_a_resident_of_another_community_may_not_rate(project):
    outsider = ResidentFactory(community=CommunityFactory())

    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=outsider, score=4)

    assert error_code(caught) == "other_community"
    assert not Rating.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("stage", [Stage.DESIGN, Stage.CLOSED])
def test_only_a_project_delivering_its_service_is_rated(project, resident, stage):
    project.stage = stage
    project.save()

    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=4)

    assert error_code(caught) == "wrong_stage"
    assert not Rating.objects.exists()


def test_a_project_under_evaluation_is_rated(project, resident):
    project.stage = Stage.EVALUATION
    project.save()

    rating_submit(project=project, resident=resident, score=2)

    assert Rating.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("score", [0, 6, 4.5, "4", None, True])
def test_a_score_outside_1_to_5_is_refused(project, resident, score):
    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=score)

    assert error_code(caught) == "score_range"
    assert caught.value.message_dict == {"score": ["Give a score from 1 to 5."]}
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [1, 5])
def test_scores_from_1_to_5_are_accepted(project, resident, score):
    assert rating_submit(project=project, resident=resident, score=score).score == score


def test_a_month_that_has_not_begun_cannot_be_rated(project, resident):
    next_month = (timezone.localdate().replace(day=28) + timedelta(days=4)).replace(day=1)

    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=4, on=next_month)

    assert error_code(caught) == "future"
    assert not Rating.objects.exists()


def test_a_resident_rates_a_project_once_a_month(project, resident):
    rating_submit(project=project, resident=resident, score=4, on=date(2025, 3, 2))

    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=1, on=date(2025, 3, 30))

    assert error_code(caught) == "already_rated"
    assert caught.value.messages == ["You have already rated this project for 2025-03."]
    assert list(Rating.objects.values_list("score", flat=True)) == [4]
    assert AuditEntry.objects.count() == 1


def test_a_resident_rates_again_the_next_month(project, resident):
    rating_submit(project=project, resident=resident, score=4, on=date(2025, 3, 2))

    rating_submit(project=project, resident=resident, score=5, on=date(2025, 4, 2))

    assert Rating.objects.filter(resident=resident).count() == 2


def test_a_duplicate_that_wins_a_race_past_the_check_is_refused_the_same_way(project, resident, monkeypatch):
    rating_submit(project=project, resident=resident, score=4, on=date(2025, 3, 2))
    # As if a concurrent request had inserted its rating between this one's check and its insert.
    monkeypatch.setattr(ratings, "_already_rated", lambda **kwargs: False)

    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=1, on=date(2025, 3, 30))

    assert error_code(caught) == "already_rated"
    assert Rating.objects.count() == 1 and AuditEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_of_the_same_month_leave_one_rating(project, resident):
    start = threading.Barrier(4)
    outcomes = []

    def submit(score):
        try:
            start.wait()
            rating_submit(project=project, resident=resident, score=score, on=date(2025, 3, 2))
            outcomes.append("rated")
        except ValidationError as refused:
            outcomes.append(refused.error_list[0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(score,)) for score in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_rated"] * 3 + ["rated"]
    assert Rating.objects.filter(project=project, resident=resident).count() == 1


@pytest.mark.parametrize("on", [date(1, 1, 1), date(2024, 12, 31)])
def test_a_month_before_the_project_began_cannot_be_rated(project, resident, on):
    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=4, on=on)

    assert error_code(caught) == "outside_project_period"
    assert not Rating.objects.exists()


def test_a_month_after_the_project_ended_cannot_be_rated(project, resident):
    project.end_date = date(2025, 6, 30)
    project.save(update_fields=["end_date"])

    with pytest.raises(ValidationError) as caught:
        rating_submit(project=project, resident=resident, score=4, on=date(2025, 7, 1))

    assert error_code(caught) == "outside_project_period"


def test_the_month_the_project_began_in_may_be_rated_from_its_first_day(project, resident):
    project.start_date = date(2025, 1, 15)
    project.save(update_fields=["start_date"])

    assert rating_submit(project=project, resident=resident, score=4, on=date(2025, 1, 2)).period == date(2025, 1, 1)
