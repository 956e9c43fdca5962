"""Risk red flags: raised by rules over coproduction data (or by hand), acknowledged and closed by officials.

A risk is about a subject ("call:12", "project:3:organisation:5"); while it is not closed, a
rule that fires again updates the same record rather than raising a second one.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import Risk, RiskKind, RiskStatus, Severity
from audit.services import record_changed, record_created, snapshot
from common.bounds import column_length
from common.errors import field_error
from coproduction.models import Call, Project
from coproduction.selectors.reports import loss_making_streak
from partners.models import Community, Organisation, User
from partners.roles import require_official_for

# A provider whose most recent reports ran at a loss this many periods in a row may not last:
# the dining halls of seed 003 closed after months of losses nobody acted on.
LOSS_STREAK_THRESHOLD = 2
# From this many loss-making periods in a row the risk is high.
LOSS_STREAK_HIGH = 4

# Fields a rule may refresh on a risk it raised before; status and dates are the officials'.
REFRESHED_FIELDS = ["summary", "severity", "project", "organisation", "rule", "details"]


def _validate_risk(
    *, kind: str, community: Community, subject_key: str, summary: str, severity: str, project: Project | None
) -> None:
    errors = {}
    if kind not in RiskKind.values:
        errors["kind"] = ValidationError(_("Choose a valid kind of risk."), code="invalid_kind")
    if severity not in Severity.values:
        errors["severity"] = ValidationError(_("Choose a valid severity."), code="invalid_severity")
    if not subject_key:
        errors["subject_key"] = ValidationError(_("Say what the risk is about."), code="subject_required")
    if not summary:
        errors["summary"] = ValidationError(_("Summarise the risk."), code="summary_required")
    elif len(summary) > column_length(Risk, "summary"):
        errors["summary"] = ValidationError(_("Keep the summary under 300 characters."), code="summary_too_long")
    if project is not None and project.community_id != community.pk:
        errors["project"] = ValidationError(_("The project must be in the risk's community."), code="project_elsewhere")
    if errors:
        raise ValidationError(errors)


def _refresh(risk: Risk, values: dict[str, Any]) -> Risk:
    """Bring a not-closed risk up to date with what the rule sees now; unchanged risks are left alone."""
    before = snapshot(risk)
    for field, value in values.items():
        setattr(risk, field, value)
    if snapshot(risk) == before:
        return risk
    risk.updated_at = timezone.now()
    risk.save(update_fields=[*REFRESHED_FIELDS, "updated_at"])
    record_changed(actor=None, instance=risk, before=before, note=risk.rule)
    return risk


def _not_closed(kind: str, subject_key: str) -> QuerySet[Risk]:
    return Risk.objects.select_for_update().filter(kind=kind, subject_key=subject_key).exclude(status=RiskStatus.CLOSED)


@transaction.atomic
def risk_raise(
    *,
    kind: str,
    community: Community,
    subject_key: str,
    summary: str,
    severity: str,
    project: Project | None = None,
    organisation: Organisation | None = None,
    rule: str = "",
    details: dict[str, Any] | None = None,
) -> Risk:
    """Raise a risk, or update the one already open (or acknowledged) on the same subject."""
    subject_key, summary = subject_key.strip(), summary.strip()
    _validate_risk(
        kind=kind, community=community, subject_key=subject_key, summary=summary, severity=severity, project=project
    )
    values = {
        "summary": summary,
        "severity": severity,
        "project": project,
        "organisation": organisation,
        "rule": rule,
        "details": details or {},
    }
    existing = _not_closed(kind, subject_key).first()
    if existing is not None:
        return _refresh(existing, values)
    now = timezone.now()
    try:
        with transaction.atomic():
            risk = Risk.objects.create(
                kind=kind, community=community, subject_key=subject_key, raised_at=now, updated_at=now, **values
            )
    except IntegrityError:
        # Raised by a concurrent detection between our look and our write: update that one.
        return _refresh(_not_closed(kind, subject_key).get(), values)
    record_created(actor=None, instance=risk, note=rule)
    return risk


# --- Rules -----------------------------------------------------------------------------------


def rent_seeking_on_award(call: Call) -> Risk | None:
    """An award with a single applicant, or against the reviewers' ranking, is a rent-seeking red flag.

    Neither proves wrongdoing; both are what supervision should look at (seed 000, 2.2).
    Takes its argument positionally or by keyword, as receivers and jobs both call it.
    """
    if not (call.single_applicant or call.against_ranking):
        return None
    project = call.project
    reasons = [
        reason
        for flag, reason in [
            (call.single_applicant, _("awarded with a single applicant")),
            (call.against_ranking, _("awarded against the reviewers' ranking")),
        ]
        if flag
    ]
    application = call.awarded_application
    winner = application.organisation if application is not None else None
    return risk_raise(
        kind=RiskKind.RENT_SEEKING,
        community=project.community,
        subject_key=f"call:{call.pk}",
        summary=_("Call “%(call)s” %(reasons)s") % {"call": call.title, "reasons": "; ".join(reasons)},
        severity=Severity.HIGH if len(reasons) == 2 else Severity.MEDIUM,
        project=project,
        organisation=winner,
        rule="rent_seeking_on_award",
        details={
            "call": call.pk,
            "single_applicant": call.single_applicant,
            "against_ranking": call.against_ranking,
            "award_reason": call.award_reason,
        },
    )


def financial_unsustainability_for(project: Project, organisation: Organisation) -> Risk | None:
    """Raise FINANCIAL_UNSUSTAINABILITY once LOSS_STREAK_THRESHOLD reported periods in a row ran at a loss.

    Loss-making means cost above income plus subsidy; the streak is counted by coproduction's
    loss_making_streak (one query; returned reports, still being corrected, do not count).
    Takes its arguments positionally or by keyword, as receivers and jobs both call it.
    """
    streak = loss_making_streak(project=project, organisation=organisation)
    if streak < LOSS_STREAK_THRESHOLD:
        return None
    return risk_raise(
        kind=RiskKind.FINANCIAL_UNSUSTAINABILITY,
        community=project.community,
        subject_key=f"project:{project.pk}:organisation:{organisation.pk}",
        summary=_("%(organisation)s has run %(project)s at a loss for %(periods)d periods in a row")
        % {"organisation": organisation.name, "project": project.name, "periods": streak},
        severity=Severity.HIGH if streak >= LOSS_STREAK_HIGH else Severity.MEDIUM,
        project=project,
        organisation=organisation,
        rule="financial_unsustainability_for",
        details={"periods": streak, "threshold": LOSS_STREAK_THRESHOLD},
    )


# --- Officials' follow-up ------------------------------------------------------------------


def _locked(risk: Risk) -> Risk:
    locked: Risk = Risk.objects.select_for_update().get(pk=risk.pk)
    return locked


@transaction.atomic
def risk_acknowledge(*, risk: Risk, user: User, note: str = "") -> Risk:
    """An official has seen the risk and is looking into it."""
    risk = _locked(risk)
    require_official_for(user, risk.community_id)
    if risk.status != RiskStatus.OPEN:
        raise ValidationError(_("Only an open risk can be acknowledged."), code="not_open")
    before = snapshot(risk)
    risk.status, risk.updated_at = RiskStatus.ACKNOWLEDGED, timezone.now()
    risk.save(update_fields=["status", "updated_at"])
    record_changed(actor=user, instance=risk, before=before, note=note.strip())
    return risk


@transaction.atomic
def risk_close(*, risk: Risk, user: User, note: str) -> Risk:
    """An official closes the risk, saying what was found or done; a rule may raise it again later."""
    risk = _locked(risk)
    require_official_for(user, risk.community_id)
    if not note.strip():
        raise field_error("note", _("Say what was found or done about the risk."), "note_required")
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError(_("This risk is already closed."), code="already_closed")
    before = snapshot(risk)
    now = timezone.now()
    risk.status, risk.closed_at, risk.updated_at = RiskStatus.CLOSED, now, now
    risk.save(update_fields=["status", "closed_at", "updated_at"])
    record_changed(actor=user, instance=risk, before=before, note=note.strip())
    return risk
