"""Who sees which accountability records: `<Model>.objects.visible_to(user)`."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accountability.models import (
    Breach,
    Complaint,
    Duty,
    DutyAssignment,
    DutyCompletion,
    Inspection,
    Risk,
    SupervisionReport,
)
from tests.factories import (
    BreachFactory,
    ComplaintFactory,
    DutyAssignmentFactory,
    DutyCompletionFactory,
    DutyFactory,
    InspectionFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ResidentFactory,
    RiskFactory,
    SupervisionReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsiders(other_official, staff_of):
    """A resident of another community and the staff of an organisation outside the project."""
    return {
        "other official": other_official,
        "other resident": ResidentFactory(user=UserFactory()).user,
        "unrelated staff": staff_of(OrganisationFactory()),
    }


def sees(model, user) -> set:
    return set(model.objects.visible_to(user))


# --- duties, their matrix and completions, inspections: whoever sees the project -------------


@pytest.fixture
def project_records(project, provider):
    duty = DutyFactory(project=project, accountable=provider)
    return {
        Duty: duty,
        DutyAssignment: DutyAssignmentFactory(duty=duty),
        DutyCompletion: DutyCompletionFactory(duty=duty),
        Inspection: InspectionFactory(project=project, organisation=provider.organisation),
    }


@pytest.mark.parametrize("model", [Duty, DutyAssignment, DutyCompletion, Inspection])
def test_project_records_are_seen_by_officials_partners_and_residents_of_the_community(
    model, project_records, official, provider, resident, staff_of
):
    for user in (official, staff_of(provider), resident.user):
        assert sees(model, user) == {project_records[model]}


@pytest.mark.parametrize("model", [Duty, DutyAssignment, DutyCompletion, Inspection])
def test_project_records_are_hidden_from_other_communities_and_strangers(model, project_records, outsiders):
    for user in (*outsiders.values(), AnonymousUser()):
        assert sees(model, user) == set()


# --- complaints: the officials, the organisation that answers, the resident who filed ----------


@pytest.fixture
def complaint(project, provider, resident):
    return ComplaintFactory(project=project, resident=resident, routed_to=provider.organisation)


def test_a_complaint_is_seen_by_officials_the_routed_organisation_and_its_filer(
    complaint, official, provider, resident, staff_of
):
    for user in (official, staff_of(provider), resident.user):
        assert sees(Complaint, user) == {complaint}


def test_a_complaint_is_hidden_from_neighbours_other_partners_and_other_communities(
    complaint, neighbour, partner, staff_of, outsiders
):
    for user in (neighbour.user, staff_of(partner), *outsiders.values(), AnonymousUser()):
        assert sees(Complaint, user) == set()


# --- breaches: the officials and the organisation they name ----------------------------------


@pytest.fixture
def breach(project, provider):
    return BreachFactory(project=project, duty=DutyFactory(project=project, accountable=provider))


def test_a_breach_is_seen_by_officials_and_the_accountable_organisation(breach, official, provider, staff_of):
    for user in (official, staff_of(provider)):
        assert sees(Breach, user) == {breach}


def test_a_breach_is_hidden_from_residents_other_partners_and_other_communities(
    breach, resident, partner, staff_of, outsiders
):
    for user in (resident.user, staff_of(partner), *outsiders.values(), AnonymousUser()):
        assert sees(Breach, user) == set()


# --- risks and supervision reports: officials of the community only --------------------------


@pytest.fixture
def officials_records(project):
    return {
        Risk: RiskFactory(community=project.community),
        SupervisionReport: SupervisionReportFactory(community=project.community),
    }


@pytest.mark.parametrize("model", [Risk, SupervisionReport])
def test_officials_of_the_community_and_above_see_its_risks_and_reports(model, officials_records, official, project):
    street_official = OfficialPostFactory(community=None, street=project.community.street).user
    administrator = UserFactory(is_superuser=True)

    for user in (official, street_official, administrator):
        assert sees(model, user) == {officials_records[model]}


@pytest.mark.parametrize("model", [Risk, SupervisionReport])
def test_risks_and_reports_are_hidden_from_partners_residents_and_other_communities(
    model, officials_records, provider, resident, staff_of, outsiders
):
    for user in (staff_of(provider), resident.user, *outsiders.values(), AnonymousUser()):
        assert sees(model, user) == set()


def test_an_administrator_sees_every_complaint_and_breach(complaint, breach):
    administrator = UserFactory(is_superuser=True)

    assert (sees(Complaint, administrator), sees(Breach, administrator)) == ({complaint}, {breach})


def test_records_are_listed_once_however_many_residents_and_posts_see_them(
    project_records, complaint, breach, official, project
):
    ResidentFactory.create_batch(3, community=project.community)
    OfficialPostFactory(user=official, community=None, street=project.community.street)

    for model in (Duty, Inspection, Complaint, Breach):
        assert model.objects.visible_to(official).count() == model.objects.count()
