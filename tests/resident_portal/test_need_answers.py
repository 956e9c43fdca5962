"""My needs show the residents' committee's answer and the day it was given."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import NeedStatus
from tests import factories

pytestmark = pytest.mark.django_db
NEEDS = reverse("resident_portal:needs")


def test_an_answered_need_shows_the_answer_and_its_date(signed_in, resident):
    answered_at = timezone.now()
    factories.NeedFactory(
        community=resident.community,
        resident=resident,
        title="Handrail in the stairwell",
        status=NeedStatus.PLANNED,
        response="We will fit it next month.",
        responded_at=answered_at,
    )

    html = signed_in.get(NEEDS).content.decode()

    assert "We will fit it next month." in html
    assert f"The committee answered on {timezone.localtime(answered_at):%m/%d/%Y}" in html


def test_a_need_not_yet_answered_says_nothing_of_an_answer(signed_in, resident):
    factories.NeedFactory(community=resident.community, resident=resident, title="Benches by the lawn")

    html = signed_in.get(NEEDS).content.decode()

    assert "Benches by the lawn" in html and "The committee answered on" not in html
