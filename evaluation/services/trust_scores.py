"""Partners' trust scores: from their evaluations and their accountability record, one row a day.

The rule is documented for partners and officials in docs/trust-score.md; the constants below
are the figures it names.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accountability.models import Breach, Sanction
from audit.models import AuditAction, AuditEntry
from audit.services import entry as audit_entry
from audit.services import record_many, snapshot
from coproduction.models import ParticipationRole
from evaluation.models import Evaluation, TrustScore
from partners.models import Organisation

CENT = Decimal("0.01")
EVALUATION_YEARS = 2
# An organisation with no evaluation yet starts at the floor of grade B: approved, not yet proven.
DEFAULT_EVALUATION = Decimal("70")
EVALUATED_ROLES = (ParticipationRole.PROVIDER, ParticipationRole.LEAD)
PER_OPEN_BREACH = 5
PER_RECENTLY_RESOLVED_BREACH = 2
PER_SEVERE_SANCTION = 5
SEVERE_SANCTIONS = (Sanction.SUSPENSION, Sanction.BLACKLIST)
DEDUCTION_CAP = 60
UPDATED_FIELDS = ["score", "evaluation_component", "breach_component", "details"]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _scope(organisations: Iterable[Organisation | int] | None) -> QuerySet[Organisation]:
    if organisations is None:
        return Organisation.objects.all()
    if isinstance(organisations, QuerySet):
        return organisations
    return Organisation.objects.filter(pk__in=[getattr(item, "pk", item) for item in organisations])


def _evaluation_totals(scope: QuerySet[Organisation], on: date) -> dict[int, list[Decimal]]:
    """Totals of the evaluations of each organisation's projects over the last two years.

    Counted where the organisation is provider or lead and took part during the evaluated period;
    an evaluation counts once per organisation even if it holds both roles.
    """
    took_part = Q(
        project__participations__organisation__in=scope.values("pk"),
        project__participations__role__in=EVALUATED_ROLES,
        project__participations__joined_on__lte=F("period_end"),
    ) & (Q(project__participations__left_on__isnull=True) | Q(project__participations__left_on__gte=F("period_start")))
    rows = (
        Evaluation.objects.filter(
            took_part,
            period_end__gt=_years_before(on, EVALUATION_YEARS),
            created_at__lt=_start_of(on + timedelta(days=1)),
        )
        .order_by()
        .values_list("project__participations__organisation", "pk", "total")
        .distinct()
    )
    totals: defaultdict[int, list[Decimal]] = defaultdict(list)
    for organisation_id, _pk, total in rows:
        totals[organisation_id].append(total)
    return totals


def _breach_counts(scope: QuerySet[Organisation], on: date) -> dict[int, dict[str, int]]:
    """Per organisation, as the record stood at the end of `on`: open breaches, breaches resolved
    in the last year, and how many of those were sanctioned with a suspension or a blacklisting."""
    end = _start_of(on + timedelta(days=1))
    resolved_recently = Q(resolved_at__gte=_start_of(_years_before(on, 1)), resolved_at__lt=end)
    rows = (
        Breach.objects.filter(organisation__in=scope.values("pk"), detected_at__lt=end)
        .order_by()
        .values("organisation")
        .annotate(
            open=Count("pk", filter=Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)),
            resolved=Count("pk", filter=resolved_recently),
            severe=Count("pk", filter=resolved_recently & Q(sanction__in=SEVERE_SANCTIONS)),
        )
    )
    return {row.pop("organisation"): row for row in rows}


def trust_score_for(
    *, totals: list[Decimal], breaches: dict[str, int]
) -> tuple[Decimal, Decimal, Decimal, dict[str, Any]]:
    """(score, evaluation component, breach deduction, details) from one organisation's record."""
    mean = sum(totals, Decimal(0)) / len(totals) if totals else DEFAULT_EVALUATION
    evaluation = mean.quantize(CENT, rounding=ROUND_HALF_UP) if totals else DEFAULT_EVALUATION
    open_, resolved, severe = breaches.get("open", 0), breaches.get("resolved", 0), breaches.get("severe", 0)
    uncapped = PER_OPEN_BREACH * open_ + PER_RECENTLY_RESOLVED_BREACH * resolved + PER_SEVERE_SANCTION * severe
    deduction = Decimal(min(uncapped, DEDUCTION_CAP))
    score = min(max(evaluation - deduction, Decimal("0")), Decimal("100")).quantize(CENT)
    details = {
        "evaluations": len(totals),
        "evaluation_mean": float(evaluation) if totals else None,
        "default_evaluation_used": not totals,
        "open_breaches": open_,
        "resolved_breaches_last_year": resolved,
        "severe_sanctions_last_year": severe,
        "deduction_before_cap": uncapped,
    }
    return score, evaluation.quantize(CENT), deduction.quantize(CENT), details


def _audit_entries(rows: list[TrustScore], before: dict[int, TrustScore], names: dict[int, str]) -> list[AuditEntry]:
    """One entry per new or changed score, written in one statement (the job has no actor)."""
    entries = []
    for row in rows:
        previous = before.get(row.organisation_id)
        if previous is not None and all(getattr(previous, field) == getattr(row, field) for field in UPDATED_FIELDS):
            continue
        entries.append(
            audit_entry(
                actor=None,
                action=AuditAction.CREATE if previous is None else AuditAction.CHANGE,
                instance=row,
                object_repr=f"{names[row.organisation_id]} {row.computed_on}: {row.score}",
                before=snapshot(previous) if previous is not None else None,
            )
        )
    return entries


@transaction.atomic
def trust_scores_compute(*, organisations: Iterable[Organisation | int] | None = None, on: date | None = None) -> int:
    """Compute the day's trust score of each organisation (all by default); returns rows written.

    A constant number of queries whatever the number of organisations: the organisations, their
    evaluations, their breaches, the day's existing rows, one upsert and one insert of audit entries.
    Recomputing a day updates that day's row; earlier days stay as the history.
    """
    on = on or timezone.localdate()
    scope = _scope(organisations)
    names = dict(scope.order_by().values_list("pk", "name"))
    totals = _evaluation_totals(scope, on)
    breaches = _breach_counts(scope, on)
    existing = TrustScore.objects.filter(organisation__in=scope.values("pk"), computed_on=on)
    before = {row.organisation_id: row for row in existing}
    rows = []
    for organisation_id in names:
        score, evaluation, deduction, details = trust_score_for(
            totals=totals.get(organisation_id, []), breaches=breaches.get(organisation_id, {})
        )
        rows.append(
            TrustScore(
                organisation_id=organisation_id,
                computed_on=on,
                score=score,
                evaluation_component=evaluation,
                breach_component=deduction,
                details=details,
            )
        )
    rows = TrustScore.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organisation", "computed_on"],
        update_fields=UPDATED_FIELDS,
    )
    record_many(_audit_entries(rows, before, names))
    return len(rows)
