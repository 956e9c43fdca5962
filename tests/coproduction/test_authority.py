"""Governance authority: an official's judgement, with a reason, from which the coproduction mode follows."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEntry
from common.actors import TRUSTED
from coproduction.models import ContributionKind, GovernanceLevel, Mode, Project
from coproduction.services.projects import contribution_add, project_set_authority
from partners.models import OrganisationKind
from tests.coproduction.conftest import (
    administrator,
    district_official_of,
    manager_of,
    official_of,
    resident_of,
    street_official_of,
)
from tests.factories import CommunityFactory, ParticipationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

REASON = "The street office set the menu, the prices and the opening hours."


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


def government_led():
    """A project where the government put in 60% of the valued contributions: concentrated resources."""
    project = ProjectFactory(governance_authority="")
    give(project, OrganisationKind.GOVERNMENT, "600")
    give(project, OrganisationKind.NGO, "400")
    return project


def set_high(project, user, *, reason=REASON):
    return project_set_authority(project=project, level=GovernanceLevel.HIGH, reason=reason, user=user)


def stored(project) -> Project:
    return Project.objects.get(pk=project.pk)


@pytest.mark.parametrize(
    "level, mode",
    [
        (GovernanceLevel.HIGH, Mode.ADMINISTRATIVE_ABSORPTION),
        (GovernanceLevel.LOW, Mode.SHARING_ASSISTED),
    ],
)
def test_an_official_sets_the_authority_with_a_reason_and_the_mode_follows(level, mode):
    project = government_led()

    returned = project_set_authority(project=project, level=level, reason=REASON, user=official_of(project.community))

    assert returned.mode == mode
    assert (stored(project).governance_authority, stored(project).authority_reason, stored(project).mode) == (
        level,
        REASON,
        mode,
    )


def test_changing_the_authority_changes_the_mode():
    project = government_led()
    official = official_of(project.community)
    project_set_authority(project=project, level=GovernanceLevel.HIGH, reason=REASON, user=official)

    project_set_authority(
        project=project, level=GovernanceLevel.LOW, reason="Partners now run it themselves.", user=official
    )

    assert stored(project).mode == Mode.SHARING_ASSISTED


def test_the_mode_is_recomputed_when_contributions_shift_after_the_judgement():
    project = government_led()
    set_high(project, official_of(project.community))

    give(project, OrganisationKind.ENTERPRISE, "1000")

    assert (stored(project).resource_concentration, stored(project).mode) == (
        GovernanceLevel.LOW,
        Mode.AUTHORITATIVE_CHARISMATIC,
    )


def test_authority_alone_gives_no_mode_until_contributions_are_valued():
    project = ProjectFactory()

    set_high(project, official_of(project.community))

    assert (stored(project).governance_authority, stored(project).mode) == (GovernanceLevel.HIGH, "")


def test_setting_the_authority_is_audited_with_before_and_after():
    project = government_led()
    official = official_of(project.community)

    project_set_authority(project=project, level=GovernanceLevel.HIGH, reason=f"  {REASON}  ", user=official)

    entry = AuditEntry.objects.get(content_type__model="project", object_id=str(project.pk))
    assert (entry.action, entry.actor) == (AuditAction.CHANGE, official)
    assert (entry.before["governance_authority"], entry.after["governance_authority"]) == ("", GovernanceLevel.HIGH)
    assert entry.after["authority_reason"] == REASON


def assert_unchanged(project):
    project = stored(project)
    assert (project.governance_authority, project.authority_reason, project.mode) == ("", "", "")
    assert not AuditEntry.objects.filter(content_type__model="project", object_id=str(project.pk)).exists()


@pytest.mark.parametrize("reason", ["", "  \n "], ids=["empty", "blank"])
def test_the_authority_needs_a_reason(reason):
    project = government_led()

    with pytest.raises(ValidationError) as caught:
        set_high(project, official_of(project.community), reason=reason)

    assert caught.value.message_dict == {"authority_reason": ["Give the reason for this judgement."]}
    assert_unchanged(project)


@pytest.mark.parametrize("level", ["medium", "", "HIGH"])
def test_the_authority_is_high_or_low(level):
    project = government_led()

    with pytest.raises(ValidationError) as caught:
        project_set_authority(project=project, level=level, reason=REASON, user=official_of(project.community))

    assert caught.value.message_dict == {"governance_authority": ["Choose high or low."]}
    assert_unchanged(project)


@pytest.mark.parametrize(
    "who",
    [
        lambda project: official_of(CommunityFactory()),
        lambda project: resident_of(project.community),
        lambda project: manager_of(project.participations.first().organisation),
    ],
    ids=["official_elsewhere", "resident", "partner_s_manager"],
)
def test_only_officials_of_the_community_set_the_authority(who):
    project = government_led()

    with pytest.raises(PermissionDenied):
        project_set_authority(project=project, level=GovernanceLevel.HIGH, reason=REASON, user=who(project))

    assert_unchanged(project)


@pytest.mark.parametrize(
    "who",
    [
        lambda project: street_official_of(project.community.street),
        lambda project: district_official_of(project.community.street.district),
        lambda project: administrator(),
    ],
    ids=["street_official", "district_official", "administrator"],
)
def test_officials_above_the_community_and_administrators_may_set_the_authority(who):
    project = government_led()

    project_set_authority(project=project, level=GovernanceLevel.HIGH, reason=REASON, user=who(project))

    assert stored(project).mode == Mode.ADMINISTRATIVE_ABSORPTION
