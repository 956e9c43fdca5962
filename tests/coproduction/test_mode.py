"""The coproduction mode: governance authority x the government's share of valued contributions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.actors import TRUSTED
from coproduction.models import ContributionKind, GovernanceLevel, Mode, Project
from coproduction.services.projects import contribution_add, project_set_authority, projects_recompute_concentration
from partners.models import OrganisationKind
from tests.factories import ContributionFactory, OfficialPostFactory, ParticipationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def give(project, kind: str, value: str):
    """A participant of this organisation kind contributes money worth `value` yuan."""
    participation = ParticipationFactory(project=project, organisation__kind=kind)
    return contribution_add(
        participation=participation,
        kind=ContributionKind.MONEY,
        value=Decimal(value),
        contributed_on=date(2025, 2, 1),
        user=TRUSTED,
    )


@pytest.mark.parametrize(
    "authority, government, others, concentration, mode",
    [
        (GovernanceLevel.HIGH, "600", "400", GovernanceLevel.HIGH, Mode.ADMINISTRATIVE_ABSORPTION),
        (GovernanceLevel.HIGH, "400", "600", GovernanceLevel.LOW, Mode.AUTHORITATIVE_CHARISMATIC),
        (GovernanceLevel.LOW, "400", "600", GovernanceLevel.LOW, Mode.COMPLEMENTARY_ADVANTAGE),
        (GovernanceLevel.LOW, "600", "400", GovernanceLevel.HIGH, Mode.SHARING_ASSISTED),
    ],
)
def test_the_mode_follows_authority_and_concentration(authority, government, others, concentration, mode):
    project = ProjectFactory(governance_authority=authority)

    give(project, OrganisationKind.GOVERNMENT, government)
    give(project, OrganisationKind.NGO, others)

    project.refresh_from_db()
    assert project.resource_concentration == concentration
    assert project.mode == mode


def test_a_government_share_of_exactly_half_counts_as_concentrated():
    project = ProjectFactory(governance_authority=GovernanceLevel.HIGH)

    give(project, OrganisationKind.GOVERNMENT, "500")
    give(project, OrganisationKind.ENTERPRISE, "500")

    project.refresh_from_db()
    assert project.government_share == Decimal("0.5000")
    assert project.mode == Mode.ADMINISTRATIVE_ABSORPTION


def test_the_mode_changes_when_a_new_contribution_shifts_the_share():
    project = ProjectFactory(governance_authority=GovernanceLevel.LOW)
    give(project, OrganisationKind.GOVERNMENT, "600")
    give(project, OrganisationKind.NGO, "400")
    project.refresh_from_db()
    assert project.mode == Mode.SHARING_ASSISTED

    give(project, OrganisationKind.RESIDENT_GROUP, "1000")

    project.refresh_from_db()
    assert project.government_share == Decimal("0.3000")
    assert project.mode == Mode.COMPLEMENTARY_ADVANTAGE


def test_the_share_is_rounded_to_four_places():
    project = ProjectFactory()

    give(project, OrganisationKind.GOVERNMENT, "1")
    give(project, OrganisationKind.NGO, "2")

    project.refresh_from_db()
    assert project.government_share == Decimal("0.3333")


def test_a_project_without_contributions_has_no_share_and_no_mode():
    project = ProjectFactory(governance_authority=GovernanceLevel.HIGH)

    projects_recompute_concentration(projects=Project.objects.filter(pk=project.pk))

    project.refresh_from_db()
    assert project.government_share is None
    assert project.resource_concentration == ""
    assert project.mode == "" and project.get_mode_display() == ""


def test_contributions_valued_at_nothing_give_no_share():
    project = ProjectFactory(governance_authority=GovernanceLevel.HIGH)

    give(project, OrganisationKind.GOVERNMENT, "0")

    project.refresh_from_db()
    assert project.government_share is None
    assert project.mode == ""


def test_the_mode_is_empty_until_the_authority_is_set():
    project = ProjectFactory(governance_authority="")
    give(project, OrganisationKind.GOVERNMENT, "800")
    project.refresh_from_db()
    assert project.resource_concentration == GovernanceLevel.HIGH
    assert project.mode == ""

    project.governance_authority = GovernanceLevel.HIGH
    project.save()

    project.refresh_from_db()
    assert project.mode == Mode.ADMINISTRATIVE_ABSORPTION
    assert project.get_mode_display() == "Administrative absorption"


def test_a_negative_contribution_is_refused_and_the_share_kept():
    project = ProjectFactory()
    give(project, OrganisationKind.GOVERNMENT, "100")

    with pytest.raises(ValidationError) as caught:
        give(project, OrganisationKind.NGO, "-50")

    assert "cannot be worth less than nothing" in str(caught.value)
    project.refresh_from_db()
    assert project.government_share == Decimal("1.0000")
    assert project.contributions.count() == 1


def test_an_official_sets_the_authority_with_a_reason_and_the_mode_follows():
    project = ProjectFactory(governance_authority="")
    give(project, OrganisationKind.GOVERNMENT, "300")
    give(project, OrganisationKind.NGO, "700")
    official = OfficialPostFactory(community=project.community).user

    project_set_authority(project=project, level=GovernanceLevel.HIGH, reason="The street office leads.", user=official)

    assert project.mode == Mode.AUTHORITATIVE_CHARISMATIC
    assert Project.objects.get(pk=project.pk).authority_reason == "The street office leads."


def test_only_an_official_of_the_community_sets_the_authority():
    project = ProjectFactory(governance_authority="")
    elsewhere = OfficialPostFactory().user

    with pytest.raises(PermissionDenied):
        project_set_authority(project=project, level=GovernanceLevel.HIGH, reason="Because.", user=elsewhere)

    assert Project.objects.get(pk=project.pk).governance_authority == ""


def projects_with_contributions(count: int):
    projects = ProjectFactory.create_batch(count, governance_authority=GovernanceLevel.LOW)
    for project in projects:
        ContributionFactory(
            participation__project=project,
            participation__organisation__kind=OrganisationKind.GOVERNMENT,
            value=Decimal("300"),
        )
        ContributionFactory(participation__project=project, value=Decimal("700"))
    return Project.objects.filter(pk__in=[p.pk for p in projects])


def test_recomputing_many_projects_takes_as_many_queries_as_recomputing_a_few(django_assert_num_queries):
    few, many = projects_with_contributions(3), projects_with_contributions(30)

    with django_assert_num_queries(1):
        assert projects_recompute_concentration(projects=few) == 3
    with django_assert_num_queries(1):
        assert projects_recompute_concentration(projects=many) == 30

    assert set(many.values_list("mode", flat=True)) == {Mode.COMPLEMENTARY_ADVANTAGE}
    assert set(many.values_list("government_share", flat=True)) == {Decimal("0.3000")}


def test_a_contribution_is_audited_and_only_officials_or_the_contributors_managers_may_record_it():
    from django.core.exceptions import PermissionDenied

    from audit.models import AuditEntry
    from coproduction.services.projects import contribution_add
    from partners.models import MembershipRole
    from tests.factories import MembershipFactory, OfficialPostFactory, ParticipationFactory, UserFactory

    participation = ParticipationFactory()
    manager = MembershipFactory(organisation=participation.organisation, role=MembershipRole.MANAGER).user
    official = OfficialPostFactory(community=participation.project.community).user

    for user in (manager, official):
        contribution = contribution_add(
            participation=participation,
            kind="money",
            value=Decimal("10"),
            contributed_on=participation.joined_on,
            user=user,
        )
        assert AuditEntry.objects.get(object_id=str(contribution.pk), action="create").actor == user
    with pytest.raises(PermissionDenied):
        contribution_add(
            participation=participation,
            kind="money",
            value=Decimal("10"),
            contributed_on=participation.joined_on,
            user=UserFactory(),
        )
    assert participation.contributions.count() == 2


@pytest.mark.parametrize("quantity", ["0", "-2"])
def test_a_contribution_of_no_quantity_is_refused_on_its_field_and_writes_nothing(quantity):
    participation = ParticipationFactory()
    with pytest.raises(ValidationError) as refused:
        contribution_add(
            participation=participation,
            kind=ContributionKind.MONEY,
            value=Decimal("10"),
            contributed_on=participation.joined_on,
            quantity=Decimal(quantity),
            user=TRUSTED,
        )
    assert refused.value.message_dict == {"quantity": ["The quantity must be more than zero."]}
    assert not participation.contributions.exists()
