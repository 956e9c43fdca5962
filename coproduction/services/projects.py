"""Writes to coproduction projects: contributions and the derived mode, claims and check-ins.

Each function is the one place its rule lives; pages, the API, the admin, jobs and the demo
data all call it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, FloatField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.utils.translation import gettext as _

from audit.services import record_changed, record_created, snapshot
from common.actors import Actor, acting_user, is_trusted
from coproduction.models import (
    Contribution,
    GovernanceLevel,
    Participation,
    Project,
    Stage,
)
from coproduction.models.selection import UNDECIDED_CALL_STATUSES
from partners.models import OrganisationKind
from partners.roles import can_act_for, is_official_for, require_official_for
from service_list.models import ListItemStatus
from service_list.selectors import list_item_current_version


def _contribution_total(*, government_only: bool) -> Coalesce:
    contributions = Contribution.objects.filter(project=OuterRef("pk"))
    if government_only:
        contributions = contributions.filter(participation__organisation__kind=OrganisationKind.GOVERNMENT)
    total = contributions.values("project").annotate(total=Sum("value")).values("total")
    return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField(max_digits=16, decimal_places=2))


def projects_recompute_concentration(*, projects: QuerySet[Project]) -> int:
    """Set each project's government share of valued contributions, in one UPDATE.

    The resource concentration and the coproduction mode are generated columns computed from this
    share, so they follow on their own. A project with nothing valued yet has no share.
    Returns the number of projects updated.
    """
    # Divide as floating point (SQLite would otherwise divide integers), then round as a decimal.
    ratio = Cast(_contribution_total(government_only=True), FloatField()) / NullIf(
        Cast(_contribution_total(government_only=False), FloatField()), Value(0.0)
    )
    share = Round(Cast(ratio, DecimalField(max_digits=16, decimal_places=6)), 4)
    return Project.objects.filter(pk__in=projects.values("pk")).update(government_share=share)


@transaction.atomic
def contribution_add(
    *,
    participation: Participation,
    kind: str,
    value: Decimal,
    contributed_on: date,
    quantity: Decimal = Decimal("1"),
    unit: str = "",
    description: str = "",
    user: Actor,
) -> Contribution:
    """Record a valued contribution and recompute the project's mode from the new shares.

    The user must be an official of the project's community or a manager of the contributing
    organisation; TRUSTED is the platform recording it itself (demo data, imports).
    """
    project = participation.project
    if not is_trusted(user) and not (
        is_official_for(user, project.community_id) or can_act_for(user, participation.organisation_id)
    ):
        raise PermissionDenied(_("Only an official of the community or a manager of the contributor may record this."))
    contribution = Contribution(
        project_id=participation.project_id,
        participation=participation,
        kind=kind,
        value=value,
        contributed_on=contributed_on,
        quantity=quantity,
        unit=unit,
        description=description,
    )
    contribution.full_clean()
    contribution.save()
    projects_recompute_concentration(projects=Project.objects.filter(pk=participation.project_id))
    record_created(actor=acting_user(user), instance=contribution)
    return contribution


@transaction.atomic
def project_set_authority(
    *, project: Project, level: str, reason: str, user: AbstractBaseUser | AnonymousUser
) -> Project:
    """The official's judgement of governance authority, with the reason; the mode follows."""
    require_official_for(user, project.community_id)
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk"))  # one judgement at a time
    if level not in GovernanceLevel.values:
        raise ValidationError({"governance_authority": ValidationError(_("Choose high or low."), code="invalid_level")})
    if not reason.strip():
        raise ValidationError(
            {"authority_reason": ValidationError(_("Give the reason for this judgement."), code="reason_required")}
        )
    before = snapshot(project)
    project.governance_authority = level
    project.authority_reason = reason.strip()
    project.save(update_fields=["governance_authority", "authority_reason", "updated_at"])
    project.refresh_from_db(fields=["mode", "resource_concentration"])
    record_changed(actor=user, instance=project, before=before)
    return project


@transaction.atomic
def project_adopt_current_service_version(*, project: Project, user: AbstractBaseUser | AnonymousUser) -> Project:
    """Move a project still in design from a retired version of its service-list item to the published one.

    Only in design: once partners are chosen the project is delivered to the version they applied
    for. A call still choosing partners was opened on the old version's terms, so it is decided first.
    """
    project = Project.objects.select_for_update(of=("self",)).select_related("service_item").get(pk=project.pk)
    require_official_for(user, project.community_id)
    old = project.service_item
    if project.stage != Stage.DESIGN:
        raise ValidationError(
            _(
                "Only a project in design moves to another version of its service; this project is in %(stage)s "
                "and keeps %(item)s."
            )
            % {"stage": Stage(project.stage).label, "item": old.version_label},
            code="project_not_in_design",
        )
    if old.status == ListItemStatus.PUBLISHED:
        raise ValidationError(
            _("The project already uses %(item)s, the published version.") % {"item": old.version_label},
            code="already_current",
        )
    current = list_item_current_version(code=old.code)
    if current is None:
        raise ValidationError(
            _(
                "No version of %(name)s is published yet: a street or district official publishes one from the "
                "service list first."
            )
            % {"name": old.name},
            code="no_published_version",
        )
    undecided = project.calls.filter(status__in=UNDECIDED_CALL_STATUSES).first()
    if undecided is not None:
        raise ValidationError(
            _("The call “%(call)s” was opened on %(item)s and is still choosing partners: award or cancel it first.")
            % {"call": undecided.title, "item": old.version_label},
            code="call_undecided",
        )
    before = snapshot(project)
    project.service_item = current
    project.save(update_fields=["service_item", "updated_at"])
    record_changed(
        actor=user,
        instance=project,
        before=before,
        note=_("Moved from %(old)s to %(new)s.") % {"old": old.version_label, "new": current.version_label},
    )
    return project
