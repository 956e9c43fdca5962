"""Fixtures for the accountability workflows: a running project with its officials, partners and residents."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.utils import timezone

from audit.models import AuditEntry
from coproduction.models import CallStatus, ParticipationRole
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CommunityFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    UserFactory,
)


@pytest.fixture
def project():
    """A project in operation, with no partners yet."""
    return ProjectFactory()


@pytest.fixture
def official(project):
    return OfficialPostFactory(community=project.community).user


@pytest.fixture
def other_official():
    """An official of another community."""
    return OfficialPostFactory(community=CommunityFactory()).user


@pytest.fixture
def lead(project):
    """The street office leads the project."""
    street_office = OrganisationFactory(government=True)
    return ParticipationFactory(project=project, role=ParticipationRole.LEAD, organisation=street_office)


@pytest.fixture
def provider(project):
    return ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)


@pytest.fixture
def partner(project):
    """A second organisation in the project, an NGO co-funding it."""
    return ParticipationFactory(project=project, role=ParticipationRole.CO_FUNDER)


@pytest.fixture
def staff_of():
    """A new staff member of an organisation (or of a participation's organisation)."""

    def make(party):
        organisation = getattr(party, "organisation", party)
        return MembershipFactory(organisation=organisation).user

    return make


@pytest.fixture
def resident(project):
    """A resident of the project's community with a login."""
    return ResidentFactory(community=project.community, user=UserFactory())


@pytest.fixture
def neighbour(project):
    """Another resident of the same community."""
    return ResidentFactory(community=project.community, user=UserFactory())


@pytest.fixture
def audit_of():
    """The audit entries of a record, oldest first, optionally of one action."""

    def entries(instance, action=None):
        found = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
        ).order_by("at", "id")
        return found.filter(action=action) if action else found

    return entries


@pytest.fixture
def awarded_call(project):
    """A call on the project, awarded to a new applicant with the given red flags."""

    def make(*, single_applicant=False, against_ranking=False):
        call = CallFactory(project=project)
        application = ApplicationFactory(call=call)
        call.status = CallStatus.AWARDED
        call.awarded_application = application
        call.award_reason = "Best proposal for the elderly dining hall."
        call.awarded_by = UserFactory()
        call.awarded_at = timezone.now() - timedelta(minutes=1)
        call.single_applicant = single_applicant
        call.against_ranking = against_ranking
        call.save()
        return call

    return make


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)


@pytest.fixture
def race():
    """Run `action(n)` in several threads released together; return each result or exception."""

    def run(action, threads=4):
        start = threading.Barrier(threads)
        outcomes = []

        def contender(number):
            try:
                start.wait()
                outcomes.append(action(number))
            except Exception as error:  # the refusals are the outcome under test
                outcomes.append(error)
            finally:
                connections.close_all()

        workers = [threading.Thread(target=contender, args=(number,)) for number in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return outcomes

    return run
