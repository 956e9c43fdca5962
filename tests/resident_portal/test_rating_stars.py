"""The score is chosen with stars: five radio inputs, lowest first, each labelled with its meaning."""

import re

import pytest
from django.urls import reverse

from evaluation.models import Rating

pytestmark = pytest.mark.django_db
RATINGS = reverse("resident_portal:ratings")


def test_the_score_is_a_group_of_five_star_radios_with_their_meaning(signed_in, project):
    html = signed_in.get(RATINGS).content.decode()

    stars = re.search(r'<div class="stars" id="id_score">.*?</div>', html, re.S).group(0)
    assert re.findall(r'type="radio" name="score" value="(\d)"', stars) == ["1", "2", "3", "4", "5"]
    assert '<span class="visually-hidden">1 star: very dissatisfied</span>' in stars
    assert '<span class="visually-hidden">5 stars: very satisfied</span>' in stars
    assert stars.count('aria-hidden="true">★</span>') == 5
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Score", html)


def test_a_refused_rating_keeps_the_chosen_star(signed_in, project):
    response = signed_in.post(RATINGS, {"score": "4", "comment": "Tidy."})  # no project

    assert re.search(r'value="4"[^>]*checked', response.content.decode()) and not Rating.objects.exists()


def test_a_rating_chosen_with_the_stars_is_recorded(signed_in, resident, project):
    signed_in.post(RATINGS, {"project": project.pk, "score": "2"})
    assert Rating.objects.get(resident=resident).score == 2
