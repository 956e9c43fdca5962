"""Who sees which coproduction records: `<Model>.objects.visible_to(user)`, the one way to ask.

The world: district D has street S1 (communities A and B) and street S2 (community C); community
F lies in another district. Each community has one project with a provider, a call with an
application, a task with a resident's claim, and a service report.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduction.models import Application, Call, CallStatus, Claim, Project, ServiceReport, Task
from tests.coproduction.conftest import (
    administrator,
    district_official_of,
    manager_of,
    official_of,
    resident_of,
    staff_of,
    street_official_of,
)
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ClaimFactory,
    CommunityFactory,
    DistrictFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    ServiceReportFactory,
    StreetFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Project, Call, Application, Task, Claim, ServiceReport]


def community_records(community):
    project = ProjectFactory(community=community)
    provider = ParticipationFactory(project=project).organisation
    call = CallFactory(project=project)
    task = TaskFactory(project=project)
    return SimpleNamespace(
        community=community,
        project=project,
        provider=provider,
        call=call,
        application=ApplicationFactory(call=call),
        task=task,
        claim=ClaimFactory(task=task),
        report=ServiceReportFactory(project=project, organisation=provider),
    )


@pytest.fixture
def world():
    district = DistrictFactory()
    s1, s2 = StreetFactory(district=district), StreetFactory(district=district)
    communities = {
        "A": CommunityFactory(street=s1),
        "B": CommunityFactory(street=s1),
        "C": CommunityFactory(street=s2),
        "F": CommunityFactory(),
    }
    return SimpleNamespace(
        district=district, s1=s1, s2=s2, **{name: community_records(c) for name, c in communities.items()}
    )


def seen(model, user) -> set:
    return set(model.objects.visible_to(user))


def of(world, names: str, field: str) -> set:
    """The records named by `field` in the communities whose letters are given, e.g. of(world, "AB", "project")."""
    return {getattr(getattr(world, name), field) for name in names}


# --- projects --------------------------------------------------------------------------------


def test_an_official_of_a_community_sees_its_projects_and_not_another_s(world):
    assert seen(Project, official_of(world.A.community)) == of(world, "A", "project")


def test_a_street_official_sees_the_projects_of_every_community_of_the_street(world):
    assert seen(Project, street_official_of(world.s1)) == of(world, "AB", "project")


def test_a_district_official_sees_every_project_below_the_district(world):
    assert seen(Project, district_official_of(world.district)) == of(world, "ABC", "project")


@pytest.mark.parametrize("member", [staff_of, manager_of], ids=["staff", "manager"])
def test_organisation_staff_see_the_projects_their_organisation_takes_part_in(world, member):
    assert seen(Project, member(world.B.provider)) == of(world, "B", "project")


def test_residents_see_the_projects_of_their_community(world):
    assert seen(Project, resident_of(world.C.community)) == of(world, "C", "project")


def test_a_user_with_several_roles_sees_what_each_role_sees(world):
    user = official_of(world.A.community)
    ResidentFactory(community=world.C.community, user=user)
    MembershipFactory(user=user, organisation=world.F.provider)

    assert seen(Project, user) == of(world, "ACF", "project")


def test_a_project_is_listed_once_however_many_residents_its_community_has(world):
    ResidentFactory.create_batch(3, community=world.A.community)

    assert Project.objects.visible_to(official_of(world.A.community)).count() == 1


# --- calls and applications ------------------------------------------------------------------


def test_an_official_sees_the_calls_and_applications_of_their_communities(world):
    official = official_of(world.A.community)

    assert seen(Call, official) == of(world, "A", "call")
    assert seen(Application, official) == of(world, "A", "application")


def test_residents_see_their_community_s_calls_but_no_applications(world):
    resident = resident_of(world.B.community)

    assert seen(Call, resident) == of(world, "B", "call")
    assert seen(Application, resident) == set()


def test_organisations_see_every_open_call_and_the_calls_they_applied_to(world):
    applicant = world.A.application.organisation
    Call.objects.filter(pk=world.A.call.pk).update(status=CallStatus.CANCELLED)
    Call.objects.filter(pk=world.B.call.pk).update(status=CallStatus.REVIEWING)

    assert seen(Call, staff_of(applicant)) == of(world, "ACF", "call")


def test_organisations_see_their_own_applications_and_not_their_rivals(world):
    rival = ApplicationFactory(call=world.A.call)

    assert seen(Application, staff_of(world.A.application.organisation)) == of(world, "A", "application")
    assert rival not in seen(Application, manager_of(world.B.application.organisation))


# --- tasks and claims ------------------------------------------------------------------------


def test_tasks_are_seen_by_whoever_sees_their_project(world):
    assert seen(Task, official_of(world.A.community)) == of(world, "A", "task")
    assert seen(Task, resident_of(world.B.community)) == of(world, "B", "task")
    assert seen(Task, staff_of(world.C.provider)) == of(world, "C", "task")
    assert seen(Task, street_official_of(world.s1)) == of(world, "AB", "task")


def test_a_resident_sees_their_own_claims_only_not_a_neighbour_s_on_the_same_task(world):
    task = TaskFactory(project=world.A.project, capacity=2)
    neighbour = ClaimFactory(task=task, resident__user=UserFactory())
    own = ClaimFactory(task=task, resident__user=UserFactory())

    assert seen(Claim, own.resident.user) == {own}
    assert seen(Claim, neighbour.resident.user) == {neighbour}


def test_officials_and_the_project_s_staff_see_its_claims(world):
    assert seen(Claim, official_of(world.A.community)) == of(world, "A", "claim")
    assert seen(Claim, district_official_of(world.district)) == of(world, "ABC", "claim")
    assert seen(Claim, staff_of(world.B.provider)) == of(world, "B", "claim")


# --- service reports -------------------------------------------------------------------------


def test_officials_see_the_service_reports_of_their_communities(world):
    assert seen(ServiceReport, official_of(world.A.community)) == of(world, "A", "report")
    assert seen(ServiceReport, street_official_of(world.s1)) == of(world, "AB", "report")


def test_every_organisation_taking_part_sees_the_project_s_reports(world):
    co_funder = ParticipationFactory(project=world.C.project, role="co_funder").organisation

    assert seen(ServiceReport, staff_of(world.C.provider)) == of(world, "C", "report")
    assert seen(ServiceReport, staff_of(co_funder)) == of(world, "C", "report")


def test_residents_see_no_service_reports_even_of_their_own_community(world):
    assert seen(ServiceReport, resident_of(world.A.community)) == set()


# --- everyone and no one ---------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_an_anonymous_visitor_sees_nothing(world, model):
    assert seen(model, AnonymousUser()) == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_a_user_without_a_role_sees_nothing(world, model):
    assert seen(model, UserFactory()) == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_an_official_whose_account_is_disabled_sees_nothing(world, model):
    official = district_official_of(world.district)
    official.is_active = False
    official.save()

    assert seen(model, official) == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_an_administrator_sees_everything(world, model):
    assert seen(model, administrator()) == set(model.objects.all()) and model.objects.count() == 4


def test_a_need_is_seen_by_its_resident_and_the_officials_of_its_community_only():
    from coproduction.models import Need
    from tests.factories import CommunityFactory, MembershipFactory, OfficialPostFactory, ResidentFactory, UserFactory

    community = CommunityFactory()
    resident = ResidentFactory(community=community, user=UserFactory())
    need = Need.objects.create(community=community, resident=resident, title="A bench by the pond")
    neighbour = ResidentFactory(community=community, user=UserFactory())

    assert list(Need.objects.visible_to(resident.user)) == [need]
    assert list(Need.objects.visible_to(OfficialPostFactory(community=community).user)) == [need]
    assert not Need.objects.visible_to(neighbour.user).exists()
    assert not Need.objects.visible_to(OfficialPostFactory(community=CommunityFactory()).user).exists()
    assert not Need.objects.visible_to(MembershipFactory().user).exists()
