"""The daily risk detection: one set-based rule per kind of risk in the seeds' taxonomy.

Each rule is one aggregate query that returns the subjects it flags (a call, a project, an
organisation, a community); detect_risks() then writes them for all rules at once per kind:
missing risks in one bulk insert that the `risk_one_open_per_subject` constraint guards
(ignore_conflicts: a risk raised meanwhile by an award or a report is left as it is), and open
or acknowledged ones whose severity, summary or details changed in one bulk update. The
number of queries does not depend on the number of rows.

Closed risks are the officials' word and are never reopened or modified. If the signal
persists after a risk was closed, the next run raises a new open risk on the same subject:
the evidence is still there, and an official should see it again rather than have the rule
fall silent. Risks whose signal has gone are left for officials to close.

Subject keys are those of accountability.services.risks (call:<id>, project:<id>:organisation:<id>),
so that a risk raised at once by an award or a report and the one the job finds are the same.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accountability.models import Duty, DutyCompletion, DutyStatus, Risk, RiskKind, RiskStatus, Severity
from accountability.services.risks import LOSS_STREAK_HIGH, LOSS_STREAK_THRESHOLD
from audit.models import AuditAction
from audit.services import entry as audit_entry
from audit.services import record_many, snapshot
from coproduction.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    CheckIn,
    Claim,
    Project,
    Review,
    ServiceReport,
    Stage,
)
from coproduction.selectors.reports import COUNTED_STATUSES
from partners.models import Community, Organisation, OrganisationKind
from service_list.models import ListItemStatus, ServiceNature

JOB_NAME = "accountability.detect_risks"

# responsibility_ambiguity: this many duties of one project overdue by more than
# OVERDUE_GRACE_DAYS, with no completion, means nobody is really answering for them.
AMBIGUOUS_OVERDUE_DUTIES = 3
OVERDUE_GRACE_DAYS = 14
# rent_seeking: one reviewer scoring the same organisation highest in this many calls.
REVIEWER_FAVOURITE_CALLS = 3
# cherry_picking: the window in which leaving welfare work while keeping market work counts.
CHERRY_PICKING_DAYS = 365
# free_riding: check-ins in the last FREE_RIDING_DAYS against the FREE_RIDING_DAYS before;
# a fall of FREE_RIDING_DROP or more, from a baseline of at least FREE_RIDING_MIN_BASELINE
# check-ins (below that the numbers are noise), is flagged.
FREE_RIDING_DAYS = 30
FREE_RIDING_DROP = 0.30
FREE_RIDING_MIN_BASELINE = 5
# welfare_drift: an NGO whose current participations are more than this share market services.
WELFARE_DRIFT_SHARE = 0.5
# collective_action_deadlock: a project still in design after this many days, or this many cancelled calls.
DEADLOCK_DESIGN_DAYS = 180
DEADLOCK_CANCELLED_CALLS = 2

PUBLIC_NATURES = (ServiceNature.WELFARE, ServiceNature.BASIC_PUBLIC)
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class Flag:
    """One subject a rule flagged, with what the risk record should say about it."""

    community_id: int
    subject_key: str
    summary: str
    severity: str = Severity.MEDIUM
    project_id: int | None = None
    organisation_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


# --- The rules -----------------------------------------------------------------------------


def financial_unsustainability(*, today: date) -> list[Flag]:
    """A provider whose most recent LOSS_STREAK_THRESHOLD or more reported periods ran at a loss.

    Loss-making means cost above income plus subsidy, as in coproduction's loss_making_streak:
    one query returns each (project, organisation)'s period balances, newest first, and the
    streak is the run of losses before the first period that broke even. Returned reports,
    still being corrected, do not count. High from LOSS_STREAK_HIGH periods.
    """
    periods = (
        ServiceReport.objects.filter(status__in=COUNTED_STATUSES)
        .values("project_id", "organisation_id", "project__community_id", "project__name", "organisation__name")
        .annotate(balance=Sum(F("income") + F("subsidy") - F("cost"), output_field=MONEY))
        .order_by("project_id", "organisation_id", "-period_start")
    )
    streaks: defaultdict[tuple[int, int], int] = defaultdict(int)
    broken: set[tuple[int, int]] = set()
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    for row in periods.iterator(chunk_size=2000):
        key = (row["project_id"], row["organisation_id"])
        seen[key] = row
        if key in broken:
            continue
        if row["balance"] < 0:
            streaks[key] += 1
        else:
            broken.add(key)
    return [
        Flag(
            community_id=seen[key]["project__community_id"],
            project_id=key[0],
            organisation_id=key[1],
            subject_key=f"project:{key[0]}:organisation:{key[1]}",
            # Worded as accountability.services.risks words it, so the two detections agree on the record.
            summary=_("%(organisation)s has run %(project)s at a loss for %(periods)d periods in a row")
            % {
                "organisation": seen[key]["organisation__name"],
                "project": seen[key]["project__name"],
                "periods": streak,
            },
            severity=Severity.HIGH if streak >= LOSS_STREAK_HIGH else Severity.MEDIUM,
            details={"periods": streak, "threshold": LOSS_STREAK_THRESHOLD},
        )
        for key, streak in streaks.items()
        if streak >= LOSS_STREAK_THRESHOLD
    ]


def responsibility_ambiguity(*, today: date) -> list[Flag]:
    """A project in operation with AMBIGUOUS_OVERDUE_DUTIES or more duties overdue by more than
    OVERDUE_GRACE_DAYS and not completed, or with an active duty whose Accountable party has left.

    Both mean that on paper someone answers for the work and in practice nobody does.
    """
    cutoff = today - timedelta(days=OVERDUE_GRACE_DAYS)
    active = Duty.objects.filter(project=OuterRef("pk"), status=DutyStatus.ACTIVE).order_by().values("project")
    overdue = active.filter(next_due_on__lt=cutoff).filter(
        ~Exists(DutyCompletion.objects.filter(duty=OuterRef("pk"), due_on=OuterRef("next_due_on")))
    )
    orphaned = active.filter(accountable__left_on__lte=today)
    counted: IntegerField[int, int] = IntegerField()
    projects = (
        Project.objects.filter(stage=Stage.OPERATION)
        .annotate(
            overdue=Coalesce(Subquery(overdue.annotate(n=Count("pk")).values("n"), output_field=counted), 0),
            orphaned=Coalesce(Subquery(orphaned.annotate(n=Count("pk")).values("n"), output_field=counted), 0),
        )
        .filter(Q(overdue__gte=AMBIGUOUS_OVERDUE_DUTIES) | Q(orphaned__gt=0))
    )
    return [
        Flag(
            community_id=row["community_id"],
            project_id=row["pk"],
            subject_key=f"project:{row['pk']}",
            summary=_("%(project)s: %(overdue)d duties long overdue, %(orphaned)d whose accountable party left")
            % {"project": row["name"], "overdue": row["overdue"], "orphaned": row["orphaned"]},
            severity=Severity.HIGH if row["orphaned"] else Severity.MEDIUM,
            details={
                "overdue_duties": row["overdue"],
                "orphaned_duties": row["orphaned"],
                "threshold": AMBIGUOUS_OVERDUE_DUTIES,
                "grace_days": OVERDUE_GRACE_DAYS,
            },
        )
        for row in projects.values("pk", "name", "community_id", "overdue", "orphaned").iterator(chunk_size=2000)
    ]


def _flagged_awards() -> list[Flag]:
    calls = Call.objects.filter(Q(single_applicant=True) | Q(against_ranking=True), status=CallStatus.AWARDED)
    rows = calls.values(
        "pk",
        "title",
        "project_id",
        "project__community_id",
        "single_applicant",
        "against_ranking",
        "awarded_application__organisation_id",
        "award_reason",
    )
    flags = []
    for row in rows.iterator(chunk_size=2000):
        reasons = [
            reason
            for flag, reason in [
                (row["single_applicant"], _("awarded with a single applicant")),
                (row["against_ranking"], _("awarded against the reviewers' ranking")),
            ]
            if flag
        ]
        flags.append(
            Flag(
                community_id=row["project__community_id"],
                project_id=row["project_id"],
                organisation_id=row["awarded_application__organisation_id"],
                subject_key=f"call:{row['pk']}",
                summary=_("Call “%(call)s” %(reasons)s") % {"call": row["title"], "reasons": "; ".join(reasons)},
                severity=Severity.HIGH if len(reasons) == 2 else Severity.MEDIUM,
                details={
                    "call": row["pk"],
                    "single_applicant": row["single_applicant"],
                    "against_ranking": row["against_ranking"],
                    "award_reason": row["award_reason"],
                },
            )
        )
    return flags


def _reviewer_favourites() -> list[Flag]:
    """Reviews that were their reviewer's highest in the call (ties all count), grouped by reviewer and organisation."""
    best_in_call = (
        Review.objects.filter(reviewer=OuterRef("reviewer"), application__call=OuterRef("application__call"))
        .order_by()
        .values("reviewer")
        .annotate(best=Max("total"))
        .values("best")
    )
    favourites = (
        Review.objects.annotate(best=Subquery(best_in_call))
        .filter(total=F("best"))
        .values("reviewer_id", "application__organisation_id")
        .annotate(
            calls=Count("application__call", distinct=True),
            community_id=Max("application__call__project__community_id"),
        )
        .filter(calls__gte=REVIEWER_FAVOURITE_CALLS)
        .order_by()
    )
    return [
        Flag(
            # The community of one of the calls (the highest-numbered), whose officials then see it.
            community_id=row["community_id"],
            organisation_id=row["application__organisation_id"],
            subject_key=f"reviewer:{row['reviewer_id']}:org:{row['application__organisation_id']}",
            summary=_("One reviewer scored the same organisation highest in %(calls)d calls") % {"calls": row["calls"]},
            details={"reviewer": row["reviewer_id"], "calls": row["calls"], "threshold": REVIEWER_FAVOURITE_CALLS},
        )
        for row in favourites.iterator(chunk_size=2000)
    ]


def rent_seeking(*, today: date) -> list[Flag]:
    """Awarded calls with a single applicant or against the ranking (call:<id>), and a reviewer whose
    top score went to the same organisation in REVIEWER_FAVOURITE_CALLS or more calls
    (reviewer:<id>:org:<id>). Neither proves wrongdoing; both are for supervision to look at.
    """
    return _flagged_awards() + _reviewer_favourites()


def _participation_counts(**filters: object) -> Count:
    return Count("participations", filter=Q(**{f"participations__{name}": value for name, value in filters.items()}))


def cherry_picking(*, today: date) -> list[Flag]:
    """An organisation that left welfare or basic public projects in the last CHERRY_PICKING_DAYS
    while still taking part in market ones: it keeps what pays and drops what does not.
    """
    since = today - timedelta(days=CHERRY_PICKING_DAYS)
    organisations = (
        Organisation.objects.filter(home_community__isnull=False)
        .annotate(
            left_public=_participation_counts(
                left_on__gte=since, left_on__lte=today, project__service_item__nature__in=PUBLIC_NATURES
            ),
            kept_market=_participation_counts(left_on__isnull=True, project__service_item__nature=ServiceNature.MARKET),
        )
        .filter(left_public__gt=0, kept_market__gt=0)
    )
    return [
        Flag(
            community_id=row["home_community_id"],
            organisation_id=row["pk"],
            subject_key=f"organisation:{row['pk']}",
            summary=_("%(organisation)s left %(left)d welfare or public projects while keeping %(kept)d market ones")
            % {"organisation": row["name"], "left": row["left_public"], "kept": row["kept_market"]},
            details={"left_public": row["left_public"], "kept_market": row["kept_market"], "days": CHERRY_PICKING_DAYS},
        )
        for row in organisations.values("pk", "name", "home_community_id", "left_public", "kept_market").iterator(
            chunk_size=2000
        )
    ]


def counts_by_community(
    rows: QuerySet[Any], *, community: str, day: str, before_from: date, now_from: date, until: date
) -> QuerySet[Any, dict[str, Any]]:
    """Each community's `rows` on the days [before_from, now_from) as `before` and [now_from, until) as
    `now`, in one GROUP BY over both windows; communities with none are left out."""
    windows = rows.filter(**{f"{day}__gte": before_from, f"{day}__lt": until}).order_by()
    counted: QuerySet[Any, dict[str, Any]] = windows.values(community_id=F(community)).annotate(
        before=Count("pk", filter=Q(**{f"{day}__lt": now_from})), now=Count("pk", filter=Q(**{f"{day}__gte": now_from}))
    )
    return counted


def free_riding(*, today: date) -> list[Flag]:
    """A community whose residents' new claims or check-ins in the last FREE_RIDING_DAYS fell by
    FREE_RIDING_DROP or more against the FREE_RIDING_DAYS before, each from a baseline of
    FREE_RIDING_MIN_BASELINE: residents enjoy the shared service while fewer of them do their part.
    """
    recent_from = today - timedelta(days=FREE_RIDING_DAYS)
    window = {
        "before_from": recent_from - timedelta(days=FREE_RIDING_DAYS),
        "now_from": recent_from,
        "until": today + timedelta(days=1),
    }
    signals = {
        "checkins": counts_by_community(
            CheckIn.objects.all(), community="claim__task__project__community", day="on", **window
        ),
        "claims": counts_by_community(
            Claim.objects.all(), community="task__project__community", day="claimed_at__date", **window
        ),
    }
    counts = {
        name: {row["community_id"]: (row["before"], row["now"]) for row in rows} for name, rows in signals.items()
    }
    falling_communities = []
    for community_id in sorted(set().union(*counts.values())):
        figures = {name: by_community.get(community_id, (0, 0)) for name, by_community in counts.items()}
        drops = {
            name: 1 - now / before for name, (before, now) in figures.items() if before >= FREE_RIDING_MIN_BASELINE
        }
        if any(drop >= FREE_RIDING_DROP for drop in drops.values()):
            falling_communities.append((community_id, figures, drops))
    names = dict(Community.objects.filter(pk__in=[row[0] for row in falling_communities]).values_list("pk", "name"))
    return [
        _free_riding_flag(community_id, names[community_id], figures, drops)
        for community_id, figures, drops in falling_communities
    ]


def _free_riding_signal_label(signal: str) -> str:
    """The summary names the falling signals in the reader's words, never by their keys in `details`."""
    return {"checkins": _("check-ins"), "claims": _("claims")}[signal]


def _free_riding_flag(
    community_id: int, name: str, figures: dict[str, tuple[int, int]], drops: dict[str, float]
) -> Flag:
    falling = {signal: drop for signal, drop in drops.items() if drop >= FREE_RIDING_DROP}
    worst = max(falling.values())
    counted = {
        f"{signal}_{when}": value
        for signal, (before, now) in figures.items()
        for when, value in (("before", before), ("now", now))
    }
    return Flag(
        community_id=community_id,
        subject_key=f"community:{community_id}",
        summary=_("Residents' participation in %(community)s fell by %(drop)d%% in %(days)d days (%(signals)s)")
        % {
            "community": name,
            "drop": round(worst * 100),
            "days": FREE_RIDING_DAYS,
            "signals": pgettext("list separator", ", ").join(
                _free_riding_signal_label(signal) for signal in sorted(falling)
            ),
        },
        severity=Severity.HIGH if worst >= 2 * FREE_RIDING_DROP else Severity.MEDIUM,
        details={**counted, "drops": {signal: round(drop, 2) for signal, drop in drops.items()}},
    )


def welfare_drift(*, today: date) -> list[Flag]:
    """An NGO more than WELFARE_DRIFT_SHARE of whose current participations are in market services:
    a non-profit drifting from the welfare work it exists for.
    """
    ngos = (
        Organisation.objects.filter(kind=OrganisationKind.NGO, home_community__isnull=False)
        .annotate(
            current=_participation_counts(left_on__isnull=True),
            market=_participation_counts(left_on__isnull=True, project__service_item__nature=ServiceNature.MARKET),
        )
        .filter(market__gt=F("current") * WELFARE_DRIFT_SHARE)
    )
    return [
        Flag(
            community_id=row["home_community_id"],
            organisation_id=row["pk"],
            subject_key=f"organisation:{row['pk']}",
            summary=_("%(organisation)s: %(market)d of %(current)d current projects are market services")
            % {"organisation": row["name"], "market": row["market"], "current": row["current"]},
            details={"market": row["market"], "current": row["current"], "threshold": WELFARE_DRIFT_SHARE},
        )
        for row in ngos.values("pk", "name", "home_community_id", "current", "market").iterator(chunk_size=2000)
    ]


def incentive_shortfall(*, today: date) -> list[Flag]:
    """An open call on a published welfare or basic public item whose deadline passed with no
    application: what the community needs most attracts no provider on the terms offered.
    """
    calls = Call.objects.filter(
        status=CallStatus.OPEN,
        deadline__lt=timezone.now(),
        project__service_item__status=ListItemStatus.PUBLISHED,
        project__service_item__nature__in=PUBLIC_NATURES,
    ).annotate(applications_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN)))
    calls = calls.filter(applications_count=0)
    return [
        Flag(
            community_id=row["project__community_id"],
            project_id=row["project_id"],
            subject_key=f"call:{row['pk']}",
            summary=_("Nobody applied to call “%(call)s” before its deadline") % {"call": row["title"]},
            details={"call": row["pk"]},
        )
        for row in calls.values("pk", "title", "project_id", "project__community_id").iterator(chunk_size=2000)
    ]


def collective_action_deadlock(*, today: date) -> list[Flag]:
    """A project still in design after DEADLOCK_DESIGN_DAYS, or with DEADLOCK_CANCELLED_CALLS or more
    cancelled calls: the partners cannot agree, or none will come forward.
    """
    stuck_since = timezone.now() - timedelta(days=DEADLOCK_DESIGN_DAYS)
    projects = (
        Project.objects.filter(stage=Stage.DESIGN)
        .annotate(cancelled=Count("calls", filter=Q(calls__status=CallStatus.CANCELLED)))
        .filter(Q(created_at__lt=stuck_since) | Q(cancelled__gte=DEADLOCK_CANCELLED_CALLS))
    )
    return [
        Flag(
            community_id=row["community_id"],
            project_id=row["pk"],
            subject_key=f"project:{row['pk']}",
            summary=_("%(project)s is stuck in design (since %(since)s, %(cancelled)d calls cancelled)")
            % {"project": row["name"], "since": row["created_at"].date().isoformat(), "cancelled": row["cancelled"]},
            details={"cancelled_calls": row["cancelled"], "design_days": DEADLOCK_DESIGN_DAYS},
        )
        for row in projects.values("pk", "name", "community_id", "created_at", "cancelled").iterator(chunk_size=2000)
    ]


RULES: dict[str, Callable[..., list[Flag]]] = {
    RiskKind.FINANCIAL_UNSUSTAINABILITY: financial_unsustainability,
    RiskKind.RESPONSIBILITY_AMBIGUITY: responsibility_ambiguity,
    RiskKind.RENT_SEEKING: rent_seeking,
    RiskKind.CHERRY_PICKING: cherry_picking,
    RiskKind.FREE_RIDING: free_riding,
    RiskKind.WELFARE_DRIFT: welfare_drift,
    RiskKind.INCENTIVE_SHORTFALL: incentive_shortfall,
    RiskKind.COLLECTIVE_ACTION_DEADLOCK: collective_action_deadlock,
}


# --- Writing -------------------------------------------------------------------------------

REFRESHED = ["summary", "severity", "details"]


def _raise_missing(kind: str, flags: list[Flag], existing: dict[str, Risk], moment: datetime) -> int:
    """Insert a risk for each flag with none open; the constraint skips any raised meanwhile."""
    new = [
        Risk(
            kind=kind,
            community_id=flag.community_id,
            subject_key=flag.subject_key,
            summary=flag.summary[:300],
            severity=flag.severity,
            project_id=flag.project_id,
            organisation_id=flag.organisation_id,
            details=flag.details,
            rule=RULES[kind].__name__,
            raised_at=moment,
            updated_at=moment,
        )
        for flag in flags
        if flag.subject_key not in existing
    ]
    if not new:
        return 0
    Risk.objects.bulk_create(new, ignore_conflicts=True)
    raised = Risk.objects.filter(kind=kind, raised_at=moment, status=RiskStatus.OPEN)
    record_many([audit_entry(actor=None, action=AuditAction.CREATE, instance=risk, note=risk.rule) for risk in raised])
    return len(raised)


def _refresh_changed(flags: list[Flag], existing: dict[str, Risk], moment: datetime) -> int:
    """Bring open or acknowledged risks up to date in one bulk update; unchanged ones are left alone."""
    changed, entries = [], []
    for flag in flags:
        risk = existing.get(flag.subject_key)
        if risk is None:
            continue
        before = snapshot(risk)
        risk.summary, risk.severity, risk.details = flag.summary[:300], flag.severity, flag.details
        if snapshot(risk) == before:
            continue
        risk.updated_at = moment
        changed.append(risk)
        entries.append(audit_entry(actor=None, action=AuditAction.CHANGE, instance=risk, before=before, note=risk.rule))
    if changed:
        Risk.objects.bulk_update(changed, [*REFRESHED, "updated_at"])
        record_many(entries)
    return len(changed)


@transaction.atomic
def _write(kind: str, flags: list[Flag], moment: datetime) -> dict[str, int]:
    not_closed = Risk.objects.select_for_update().filter(kind=kind).exclude(status=RiskStatus.CLOSED)
    existing = {risk.subject_key: risk for risk in not_closed}
    return {
        f"{kind}_raised": _raise_missing(kind, flags, existing, moment),
        f"{kind}_updated": _refresh_changed(flags, existing, moment),
    }


def detect_risks(*, today: date | None = None) -> dict[str, int]:
    """Run every rule and raise or update its risks; return the counts raised and updated per kind.

    Each kind is its own transaction, so a failing rule keeps what the rules before it wrote.
    """
    today = today or timezone.localdate()
    moment = timezone.now()
    counts: dict[str, int] = {}
    for kind, rule in RULES.items():
        counts |= _write(kind, rule(today=today), moment)
    return counts
