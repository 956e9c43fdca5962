"""Fixtures for the coproduction tests: people in their roles, and a call taken through selection."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduction.models import Call, Stage
from coproduction.services.selection import application_submit, call_open, review_submit
from partners.models import MembershipRole
from tests.factories import (
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ProjectFactory,
    ResidentFactory,
    UserFactory,
)

# Two criteria, so that the weighted total differs from a plain mean.
CRITERIA = [("Experience", 60), ("Price", 40)]


def official_of(community):
    """A user with an official post over this one community."""
    return OfficialPostFactory(community=community).user


def street_official_of(street):
    return OfficialPostFactory(community=None, street=street).user


def district_official_of(district):
    return OfficialPostFactory(community=None, district=district).user


def manager_of(organisation):
    return MembershipFactory(organisation=organisation, role=MembershipRole.MANAGER).user


def staff_of(organisation):
    return MembershipFactory(organisation=organisation, role=MembershipRole.STAFF).user


def resident_of(community):
    """A user with a resident record in this community."""
    return ResidentFactory(community=community, user=UserFactory()).user


def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


class Selection:
    """A call opened by an official of a design-stage project, with two reviewers at hand.

    Each step goes through the selection services, so the tests that use it exercise the same
    path as the pages and the API.
    """

    def __init__(self, *, criteria=CRITERIA, **project):
        self.project = ProjectFactory(stage=Stage.DESIGN, **project)
        self.community = self.project.community
        self.official = official_of(self.community)
        self.call = call_open(
            project=self.project,
            title="Elderly dining hall operator",
            description="Lunch on weekdays.",
            deadline=timezone.now() + timedelta(days=14),
            criteria=criteria,
            user=self.official,
        )
        self.criteria = list(self.call.criteria.order_by("-weight", "name"))
        self.reviewers = [official_of(self.community), official_of(self.community)]

    def apply(self, organisation=None, *, budget="80000.00"):
        organisation = organisation or OrganisationFactory()
        return application_submit(
            call=self.call,
            organisation=organisation,
            user=manager_of(organisation),
            proposal="Hot lunches five days a week.",
            proposed_budget=Decimal(budget),
        )

    def close_applications(self):
        """The deadline passes."""
        Call.objects.filter(pk=self.call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
        self.call.refresh_from_db()

    def scores(self, *values):
        return {criterion.pk: value for criterion, value in zip(self.criteria, values, strict=True)}

    def review(self, application, *values, reviewer=None):
        return review_submit(
            application=application,
            reviewer=reviewer or self.reviewers[0],
            scores=self.scores(*values),
        )

    def review_by_all(self, application, *values):
        """Every reviewer gives the same scores, so the mean total is the weighted total."""
        return [self.review(application, *values, reviewer=reviewer) for reviewer in self.reviewers]


@pytest.fixture
def selection():
    return Selection()
