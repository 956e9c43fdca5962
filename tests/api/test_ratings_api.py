"""Residents' ratings through the API: once a month by the resident, read by officials and staff, cursor-paged."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from coproduction.models import Stage
from evaluation.models import Rating
from tests.factories import (
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    RatingFactory,
    ResidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def provider_staff(project):
    return MembershipFactory(organisation=ParticipationFactory(project=project).organisation).user


def this_month() -> date:
    return timezone.localdate().replace(day=1)


# --- Reading ---------------------------------------------------------------------------------


def test_a_resident_lists_only_their_own_ratings(client_for, resident, project):
    own = RatingFactory(project=project, resident=resident)
    RatingFactory(project=project)
    response = client_for(resident.user).get("/api/v1/ratings/")
    assert response.status_code == 200
    assert ids(response) == {own.pk}
    assert response.data["results"][0]["resident"] == resident.pk


def test_an_official_lists_every_rating_of_their_communitys_projects_with_the_raters(client_for, official, project):
    rating = RatingFactory(project=project)
    RatingFactory()
    response = client_for(official).get("/api/v1/ratings/")
    assert ids(response) == {rating.pk}
    assert response.data["results"][0]["resident_name"] == rating.resident.name


def test_the_providers_staff_read_the_ratings_without_the_raters(client_for, provider_staff, project):
    rating = RatingFactory(project=project, comment="Warm meals.")
    response = client_for(provider_staff).get(f"/api/v1/ratings/{rating.pk}/")
    assert response.status_code == 200
    assert (response.data["score"], response.data["comment"]) == (4, "Warm meals.")
    assert response.data["resident"] is None and response.data["resident_name"] is None


def test_another_communitys_rating_is_absent_from_the_list_and_a_404(client_for, official, other_community):
    theirs = RatingFactory(project=ProjectFactory(community=other_community))
    client = client_for(official)
    assert ids(client.get("/api/v1/ratings/")) == set()
    response = client.get(f"/api/v1/ratings/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_staff_of_an_organisation_outside_the_project_see_no_rating(client_for, manager_of, project):
    rating = RatingFactory(project=project)
    outsider = manager_of(ParticipationFactory().organisation)
    assert ids(client_for(outsider).get("/api/v1/ratings/")) == set()
    assert client_for(outsider).get(f"/api/v1/ratings/{rating.pk}/").status_code == 404


def test_another_residents_rating_is_a_404_for_a_resident(client_for, resident, project):
    neighbours = RatingFactory(project=project)
    assert client_for(resident.user).get(f"/api/v1/ratings/{neighbours.pk}/").status_code == 404


def test_ratings_are_filtered_by_project_month_range_and_score(client_for, official, project, community):
    wanted = RatingFactory(project=project, period=date(2025, 3, 1), score=5)
    RatingFactory(project=project, period=date(2025, 3, 1), score=4)
    RatingFactory(project=project, period=date(2025, 1, 1), score=5)
    RatingFactory(project=ProjectFactory(community=community), period=date(2025, 3, 1), score=5)
    url = f"/api/v1/ratings/?project={project.pk}&period_after=2025-02-01&period_before=2025-04-01&score=5"
    assert ids(client_for(official).get(url)) == {wanted.pk}


def test_ratings_are_paged_by_cursor_newest_first(client_for, official, project):
    ratings = [RatingFactory(project=project) for _ in range(3)]
    response = client_for(official).get("/api/v1/ratings/?page_size=2")
    assert [row["id"] for row in response.data["results"]] == [ratings[2].pk, ratings[1].pk]
    assert "count" not in response.data
    following = client_for(official).get(response.data["next"])
    assert [row["id"] for row in following.data["results"]] == [ratings[0].pk]


def test_the_rating_list_keeps_its_query_count_from_5_to_50_rows(
    client_for, official, project, django_assert_num_queries
):
    client = client_for(official)
    RatingFactory.create_batch(5, project=project)
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/ratings/").status_code == 200
    RatingFactory.create_batch(45, project=project)
    with django_assert_num_queries(len(at_five)):
        response = client.get("/api/v1/ratings/")
    assert len(response.data["results"]) == 50


# --- Rating ----------------------------------------------------------------------------------


def test_a_resident_rates_a_project_of_their_community_for_this_month(client_for, resident, project):
    response = client_for(resident.user).post(
        "/api/v1/ratings/", {"project": project.pk, "score": 4, "comment": " Good. "}, format="json"
    )
    assert response.status_code == 201
    rating = Rating.objects.get(project=project, resident=resident)
    assert response.data["id"] == rating.pk and response.data["resident"] == resident.pk
    assert (rating.score, rating.comment, rating.period) == (4, "Good.", this_month())


def test_a_rating_made_through_the_api_is_audited_with_the_resident_as_actor(client_for, resident, project):
    client_for(resident.user).post("/api/v1/ratings/", {"project": project.pk, "score": 5}, format="json")
    rating = Rating.objects.get(resident=resident)
    assert AuditEntry.objects.filter(
        content_type__model="rating", object_id=str(rating.pk), actor=resident.user, action="create"
    ).exists()


def test_a_resident_rates_an_earlier_month_given_a_day_in_it(client_for, resident, project):
    response = client_for(resident.user).post(
        "/api/v1/ratings/", {"project": project.pk, "score": 3, "on": "2025-05-17"}, format="json"
    )
    assert response.status_code == 201
    assert response.data["period"] == "2025-05-01"


def test_a_second_rating_in_the_same_month_is_a_409(client_for, resident, project):
    RatingFactory(project=project, resident=resident, period=this_month())
    response = client_for(resident.user).post("/api/v1/ratings/", {"project": project.pk, "score": 2}, format="json")
    assert response.status_code == 409
    assert response.data["code"] == "already_rated"
    assert Rating.objects.filter(resident=resident).count() == 1


def test_a_score_outside_1_to_5_is_a_400_naming_the_score(client_for, resident, project):
    response = client_for(resident.user).post("/api/v1/ratings/", {"project": project.pk, "score": 6}, format="json")
    assert response.status_code == 400
    assert response.data == {
        "message": "Give a score from 1 to 5.",
        "code": "score_range",
        "errors": {"score": ["Give a score from 1 to 5."]},
    }
    assert not Rating.objects.exists() and not AuditEntry.objects.exists()


def test_a_body_of_the_wrong_shape_is_a_400_with_field_errors(client_for, resident, project):
    response = client_for(resident.user).post(
        "/api/v1/ratings/", {"project": project.pk, "score": "great", "on": "May"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"score", "on"}
    assert not Rating.objects.exists()


def test_a_project_not_yet_delivering_is_a_400(client_for, resident, community):
    designing = ProjectFactory(community=community, stage=Stage.DESIGN)
    response = client_for(resident.user).post("/api/v1/ratings/", {"project": designing.pk, "score": 4}, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "wrong_stage"
    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["official", "staff", "nobody"])
def test_only_residents_rate(client_for, official, provider_staff, project, who):
    user = {"official": official, "staff": provider_staff, "nobody": UserFactory()}[who]
    response = client_for(user).post("/api/v1/ratings/", {"project": project.pk, "score": 4}, format="json")
    # A user with no role cannot see the project at all.
    assert response.status_code == (404 if who == "nobody" else 403)
    assert not Rating.objects.exists()


def test_a_resident_of_another_community_gets_404(client_for, project, other_community):
    outsider = ResidentFactory(community=other_community, user=UserFactory())
    response = client_for(outsider.user).post("/api/v1/ratings/", {"project": project.pk, "score": 4}, format="json")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}
    assert not Rating.objects.exists()


def test_an_anonymous_rating_is_a_401(client_for, project):
    assert client_for().post("/api/v1/ratings/", {"project": project.pk, "score": 4}, format="json").status_code == 401
    assert not Rating.objects.exists()
