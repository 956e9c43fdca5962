"""A resident's own data as one JSON document: everything the platform holds about them, nobody else's."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from partners.selectors.resident_export import resident_data
from tests.factories import (
    CheckInFactory,
    ClaimFactory,
    ComplaintFactory,
    NeedFactory,
    OfficialPostFactory,
    RatingFactory,
    ResidentFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return ResidentFactory(user=UserFactory(email="li@example.com"), phone="13912345678", building="12", unit="3")


def with_checkins(claim, count: int) -> None:
    today = timezone.localdate()
    for day in range(count):
        CheckInFactory(claim=claim, on=today - timedelta(days=day), note=f"Watered, day {day}")


def test_the_export_holds_the_profile_and_every_record_of_the_resident(resident):
    claim = ClaimFactory(resident=resident, task=TaskFactory(project__community=resident.community))
    with_checkins(claim, 2)
    NeedFactory(community=resident.community, resident=resident, title="A bench by the pond")
    ComplaintFactory(resident=resident, project=claim.task.project, subject="Cold lunches")
    RatingFactory(resident=resident, project=claim.task.project, score=2, comment="Too salty")

    data = resident_data(resident=resident, user=resident.user)

    assert data["profile"]["phone"] == "13912345678"
    assert data["profile"]["building"] == "12"
    assert data["profile"]["account"]["email"] == "li@example.com"
    assert [row["task_code"] for row in data["claims"]] == [claim.task.code]
    assert len(data["check_ins"]) == 2 and data["check_ins"][0]["photo"] is False
    assert data["volunteer_hours"] == "3.0"
    assert [need["title"] for need in data["needs"]] == ["A bench by the pond"]
    assert [complaint["subject"] for complaint in data["complaints"]] == ["Cold lunches"]
    assert [(rating["score"], rating["comment"]) for rating in data["ratings"]] == [(2, "Too salty")]


def test_the_export_holds_no_other_residents_check_ins_on_a_shared_task(resident):
    task = TaskFactory(project__community=resident.community, capacity=2)
    mine = ClaimFactory(resident=resident, task=task)
    theirs = ClaimFactory(task=task)
    CheckInFactory(claim=mine, note="mine")
    CheckInFactory(claim=theirs, note="a neighbour's")
    data = resident_data(resident=resident, user=resident.user)
    assert [row["note"] for row in data["check_ins"]] == ["mine"]
    assert theirs.resident.name not in str(data)


def test_the_export_is_plain_json(resident):
    RatingFactory(resident=resident, period=date(2025, 3, 1))
    data = resident_data(resident=resident, user=resident.user)
    assert data["ratings"][0]["period"] == "2025-03-01"
    assert isinstance(data["generated_at"], str)


@pytest.mark.parametrize("checkins", [5, 50])
def test_the_export_takes_the_same_queries_for_5_or_50_check_ins(resident, checkins, django_assert_num_queries):
    claim = ClaimFactory(resident=resident, task=TaskFactory(project__community=resident.community))
    with_checkins(claim, checkins)
    # Profile (1), claims, check-ins, hours, needs, complaints, ratings, notifications: one query each.
    with django_assert_num_queries(8):
        data = resident_data(resident=resident, user=resident.user)
    assert len(data["check_ins"]) == checkins


def test_nobody_else_may_download_a_residents_data(resident):
    official = OfficialPostFactory(community=resident.community).user
    with pytest.raises(PermissionDenied, match="Only the resident themself"):
        resident_data(resident=resident, user=official)
