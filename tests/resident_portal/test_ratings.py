"""Rating a running project of my community once a month, and my past ratings."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import Stage
from evaluation.models import Rating
from tests import factories
from tests.pages import queries_to_get, staff_of

pytestmark = pytest.mark.django_db
RATINGS = reverse("resident_portal:ratings")


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(RATINGS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_organisation_staff_are_refused(client):
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(RATINGS).status_code == 403


def test_only_running_projects_of_my_community_can_be_chosen(signed_in, project):
    factories.ProjectFactory(community=project.community, stage=Stage.DESIGN)
    factories.ProjectFactory()  # another community's

    response = signed_in.get(RATINGS)

    assert list(response.context["form"].fields["project"].queryset) == [project]


def test_a_resident_rates_a_project_with_a_comment(signed_in, resident, project):
    response = signed_in.post(RATINGS, {"project": project.pk, "score": "4", "comment": "Tidy paths."}, follow=True)

    rating = Rating.objects.get()
    assert (rating.project, rating.resident, rating.score, rating.comment) == (project, resident, 4, "Tidy paths.")
    assert rating.period == timezone.localdate().replace(day=1)
    assert "your rating of Green space claim is recorded" in response.content.decode()


def test_a_second_rating_in_the_same_month_shows_the_domains_message_and_keeps_the_input(signed_in, resident, project):
    factories.RatingFactory(project=project, resident=resident, period=timezone.localdate().replace(day=1), score=5)

    response = signed_in.post(RATINGS, {"project": project.pk, "score": "2", "comment": "Worse lately."})

    form = response.context["form"]
    assert form.non_field_errors()[0].startswith("You have already rated this project for")
    assert "Worse lately." in response.content.decode()
    assert Rating.objects.get().score == 5


def test_a_score_is_required(signed_in, project):
    response = signed_in.post(RATINGS, {"project": project.pk, "comment": "No score"})
    assert "score" in response.context["form"].errors and not Rating.objects.exists()


def test_my_past_ratings_are_shown(signed_in, resident, project):
    factories.RatingFactory(project=project, resident=resident, period=date(2025, 3, 1), score=3, comment="Fine.")
    factories.RatingFactory(project=project, period=date(2025, 3, 1), comment="A neighbour's view.")

    response = signed_in.get(RATINGS)

    assert [rating.resident for rating in response.context["ratings"]] == [resident]
    html = response.content.decode()
    assert "Fine." in html and "A neighbour&#x27;s view." not in html


def resident_with_ratings(count):
    resident = factories.ResidentFactory(user=factories.UserFactory())
    for month in range(count):
        factories.RatingFactory(
            resident=resident, project__community=resident.community, period=date(2020 + month // 12, month % 12 + 1, 1)
        )
    return resident


def test_the_ratings_page_makes_as_many_queries_for_30_as_for_3(client):
    client.force_login(resident_with_ratings(3).user)
    few = queries_to_get(client, RATINGS)
    client.force_login(resident_with_ratings(30).user)
    assert queries_to_get(client, RATINGS) == few
