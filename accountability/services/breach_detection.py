"""The daily accountability job: find what was missed and keep the breach records in step with the data.

recompute_accountability() opens a breach for each new miss of five kinds, escalates the
severity of open ones that got worse, and never touches a breach an official resolved. Each
kind is one `INSERT ... SELECT ... ON CONFLICT DO NOTHING` (valid on SQLite and PostgreSQL)
built from an ORM queryset, and the audit entries of the new breaches are one more
INSERT ... SELECT, so no row passes through Python; each kind's new breaches are then
announced, set-based, by the breaches_detected signal (the organisations' managers are told).
The conditional unique constraints on Breach are the last guard: a miss already on record, or recorded by a run
overlapping this one, is skipped by the database. Running the job twice changes nothing the
second time.

Before them, a recurring duty due after its project's end date is finished
(duties.duties_finish_past_project_end), since the service period has no more occurrences.

The rules, as of `today` (default: the local date):

- overdue_duty: an active duty of a project not closed whose next_due_on is before today and
  has no completion for that date; the duty's Accountable organisation answers. Severity by
  days overdue: under OVERDUE_MEDIUM_DAYS low, under OVERDUE_HIGH_DAYS medium, then high.
- missed_report: providers report monthly, by day REPORT_DUE_DAY of the following month. The
  latest month whose deadline has passed is checked: each current provider of a project in
  operation that ran during that month, with no report whose period overlaps it, is in breach,
  with due_on the month's first day. Medium severity.
- unanswered_complaint: an open or reopened complaint whose response deadline has passed;
  the organisation it was routed to answers (a government body through the community's
  officials), when someone can answer for it (complaints.complaint_is_answerable). Medium,
  high once COMPLAINT_HIGH_AFTER past due.
- lapsed_claim: claims_lapse_overdue() first lapses claims whose check-ins stopped; each
  lapsed claim then names the project's lead organisation (or its first provider). Low.
- failed_inspection: a failed inspection without its breach (inspection_record() opens one at
  once; this catches any recorded otherwise). High.
"""

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import (
    REPORT_DUE_DAY,
    Breach,
    BreachKind,
    BreachStatus,
    Complaint,
    ComplaintStatus,
    Duty,
    DutyCompletion,
    DutyStatus,
    Inspection,
    InspectionResult,
    Sanction,
    Severity,
)
from accountability.services.complaints import complaint_is_answerable
from accountability.services.duties import add_months, duties_finish_past_project_end
from accountability.signals import breaches_detected
from audit.services import record_created_from
from common.actors import TRUSTED
from coproduction.models import Claim, ClaimStatus, Participation, ParticipationRole, Project, ServiceReport, Stage
from coproduction.services.claims import claims_lapse_overdue
from jobs.execution import job_step

JOB_NAME = "accountability.recompute_accountability"

OVERDUE_MEDIUM_DAYS = 7
OVERDUE_HIGH_DAYS = 30
COMPLAINT_HIGH_AFTER = timedelta(days=7)

# Source rows are annotated with the Breach columns under this prefix, apart from their own fields.
_PREFIX = "new_"


def _severity_by_due_on(due_on_field: str, today: date) -> Case:
    return Case(
        When(**{f"{due_on_field}__lte": today - timedelta(days=OVERDUE_HIGH_DAYS)}, then=Value(Severity.HIGH)),
        When(**{f"{due_on_field}__lte": today - timedelta(days=OVERDUE_MEDIUM_DAYS)}, then=Value(Severity.MEDIUM)),
        default=Value(Severity.LOW),
        output_field=CharField(),
    )


def _severity_by_deadline(deadline_field: str, cutoff: datetime) -> Case:
    return Case(
        When(**{f"{deadline_field}__lt": cutoff - COMPLAINT_HIGH_AFTER}, then=Value(Severity.HIGH)),
        default=Value(Severity.MEDIUM),
        output_field=CharField(),
    )


# --- Writing: one conditional INSERT ... SELECT per kind -----------------------------------


def _insert_breaches(source: QuerySet[Any], *, kind: str, moment: datetime, columns: dict[str, Combinable]) -> int:
    """Insert one open breach per row of `source`, skipping those already on record; return how many.

    `columns` maps Breach column names (attnames) to expressions over the source rows; the
    common ones (kind, status, stamps, an empty resolution) are added here.
    """
    columns = {
        "kind": Value(kind),
        "status": Value(BreachStatus.OPEN),
        "sanction": Value(Sanction.NONE),
        "resolution": Value(""),
        "detected_at": Value(moment, output_field=DateTimeField()),
        "updated_at": Value(moment, output_field=DateTimeField()),
        "details": Value("{}"),
        "description": Value(""),
        **columns,
    }
    select = source.order_by().annotate(**{_PREFIX + name: value for name, value in columns.items()})
    select = select.values(*(_PREFIX + name for name in columns))
    compiler = select.query.get_compiler(using=select.db)
    select_sql, params = compiler.as_sql()
    # Name the target columns in the order the compiled SELECT lists them.
    names = [alias.removeprefix(_PREFIX) for _expression, _sql, alias in compiler.select]
    table, quote = Breach._meta.db_table, connection.ops.quote_name
    sql = f"INSERT INTO {quote(table)} ({', '.join(quote(name) for name in names)}) {select_sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted: int = cursor.rowcount
    return max(inserted, 0)


def _audit_opened(*, kind: str, moment: datetime) -> None:
    """One audit entry per breach this run opened (they carry its moment), in one INSERT ... SELECT."""
    opened = Breach.objects.filter(kind=kind, detected_at=moment)
    # Breach.__str__ in SQL: the kind's label, then the organisation's name.
    name = Concat(Value(f"{BreachKind(kind).label}: "), F("organisation__name"), output_field=CharField())
    record_created_from(opened, object_repr=name, note=_("Detected by the accountability job."))


def _open(source: QuerySet[Any], *, kind: str, moment: datetime, columns: dict[str, Combinable]) -> int:
    with transaction.atomic():
        opened = _insert_breaches(source, kind=kind, moment=moment, columns=columns)
        if opened:
            _audit_opened(kind=kind, moment=moment)
            new = Breach.objects.filter(kind=kind, detected_at=moment)
            breaches_detected.send(sender=Breach, breaches=new, by=TRUSTED)
    return opened


def _no_breach(kind: str, **identity: OuterRef | date) -> Combinable:
    """No breach of this kind is on record for the outer row (open or resolved)."""
    return ~Exists(Breach.objects.filter(kind=kind, **identity))


# --- The five kinds ------------------------------------------------------------------------


def _overdue_duties(*, projects: QuerySet[Project, Any], today: date, moment: datetime) -> dict[str, int]:
    kind = BreachKind.OVERDUE_DUTY
    overdue = (
        Duty.objects.filter(project__in=projects, status=DutyStatus.ACTIVE, next_due_on__lt=today)
        .exclude(project__stage=Stage.CLOSED)
        .filter(
            ~Exists(DutyCompletion.objects.filter(duty=OuterRef("pk"), due_on=OuterRef("next_due_on"))),
            _no_breach(kind, duty=OuterRef("pk"), due_on=OuterRef("next_due_on")),
        )
    )
    opened = _open(
        overdue,
        kind=kind,
        moment=moment,
        columns={
            "project_id": F("project_id"),
            "organisation_id": F("accountable__organisation_id"),
            "duty_id": F("pk"),
            "due_on": F("next_due_on"),
            "severity": _severity_by_due_on("next_due_on", today),
            "description": Concat(Value(_("Overdue duty: ")), F("title"), output_field=CharField()),
        },
    )
    # Escalate only while the duty is still stuck at the missed date, and never downgrade.
    worse = Q(due_on__lte=today - timedelta(days=OVERDUE_HIGH_DAYS)) & ~Q(severity=Severity.HIGH) | Q(
        due_on__lte=today - timedelta(days=OVERDUE_MEDIUM_DAYS), severity=Severity.LOW
    )
    escalate = Breach.objects.filter(
        worse,
        project__in=projects,
        kind=kind,
        status=BreachStatus.OPEN,
        duty__status=DutyStatus.ACTIVE,
        duty__next_due_on=F("due_on"),
    )
    updated = escalate.update(severity=_severity_by_due_on("due_on", today), updated_at=moment)
    return {f"{kind}_opened": opened, f"{kind}_updated": updated}


def report_period_due(today: date) -> tuple[date, date]:
    """The latest calendar month whose report deadline (day REPORT_DUE_DAY of the next month) has passed."""
    months_back = 1 if today.day > REPORT_DUE_DAY else 2
    start = add_months(today.replace(day=1), -months_back)
    return start, add_months(start, 1) - timedelta(days=1)


def providers_without_report(
    *, projects: QuerySet[Project, Any], start: date, end: date
) -> QuerySet[Participation, Participation]:
    """The current providers of projects in operation that ran during the month `start`..`end` and have
    no report whose period overlaps it: those the month's report is due from (and, past its deadline, in breach)."""
    reports = ServiceReport.objects.filter(
        project=OuterRef("project_id"),
        organisation=OuterRef("organisation_id"),
        period_start__lte=end,
        period_end__gte=start,
    )
    return Participation.objects.filter(
        Q(project__end_date__isnull=True) | Q(project__end_date__gte=start),
        project__in=projects,
        role=ParticipationRole.PROVIDER,
        left_on__isnull=True,
        joined_on__lte=end,
        project__stage=Stage.OPERATION,
        project__start_date__lte=end,
    ).filter(~Exists(reports))


def _missed_reports(*, projects: QuerySet[Project, Any], today: date, moment: datetime) -> dict[str, int]:
    kind = BreachKind.MISSED_REPORT
    start, end = report_period_due(today)
    missing = providers_without_report(projects=projects, start=start, end=end).filter(
        _no_breach(kind, project=OuterRef("project_id"), organisation=OuterRef("organisation_id"), due_on=start),
    )
    period = {"period_start": start.isoformat(), "period_end": end.isoformat()}
    opened = _open(
        missing,
        kind=kind,
        moment=moment,
        columns={
            "project_id": F("project_id"),
            "organisation_id": F("organisation_id"),
            "due_on": Value(start),
            "severity": Value(Severity.MEDIUM),
            "details": Value(json.dumps(period)),
            "description": Value(_("No service report for %(month)s.") % {"month": start.strftime("%Y-%m")}),
        },
    )
    return {f"{kind}_opened": opened, f"{kind}_updated": 0}


def _unanswered_complaints(*, projects: QuerySet[Project, Any], cutoff: datetime, moment: datetime) -> dict[str, int]:
    kind = BreachKind.UNANSWERED_COMPLAINT
    awaiting = [ComplaintStatus.OPEN, ComplaintStatus.REOPENED]
    # A party nobody can answer for (its accounts all gone) is not charged with the silence; the
    # complaint stays overdue on the officials' list, who re-route it.
    unanswered = (
        Complaint.objects.filter(project__in=projects, status__in=awaiting, response_due_at__lt=cutoff)
        .filter(complaint_is_answerable())
        .filter(_no_breach(kind, complaint=OuterRef("pk")))
    )
    opened = _open(
        unanswered,
        kind=kind,
        moment=moment,
        columns={
            "project_id": F("project_id"),
            "organisation_id": F("routed_to_id"),
            "complaint_id": F("pk"),
            "severity": _severity_by_deadline("response_due_at", cutoff),
            "description": Concat(Value(_("Complaint not answered in time: ")), F("subject"), output_field=CharField()),
        },
    )
    escalate = Breach.objects.filter(
        project__in=projects,
        kind=kind,
        status=BreachStatus.OPEN,
        complaint__status__in=awaiting,
        complaint__response_due_at__lt=cutoff - COMPLAINT_HIGH_AFTER,
    ).exclude(severity=Severity.HIGH)
    updated = escalate.update(severity=Value(Severity.HIGH), updated_at=moment)
    return {f"{kind}_opened": opened, f"{kind}_updated": updated}


def _organisation_answering_for_claims() -> Coalesce:
    """The lead organisation of the claim's project, or else its first provider."""
    participants = Participation.objects.filter(project=OuterRef("task__project_id")).order_by("pk")
    lead = participants.filter(role=ParticipationRole.LEAD).values("organisation_id")[:1]
    provider = participants.filter(role=ParticipationRole.PROVIDER).values("organisation_id")[:1]
    return Coalesce(Subquery(lead), Subquery(provider))


def _lapsed_claims(*, projects: QuerySet[Project, Any], today: date, moment: datetime) -> dict[str, int]:
    kind = BreachKind.LAPSED_CLAIM
    lapsed_now = claims_lapse_overdue(today=today, projects=projects)
    # Claims of projects without a lead or provider have nobody to answer; they are left out by an
    # EXISTS rather than by testing the answering organisation, which would compute it twice a row.
    someone_answers = Participation.objects.filter(
        project=OuterRef("task__project_id"), role__in=[ParticipationRole.LEAD, ParticipationRole.PROVIDER]
    )
    # NOT IN rather than NOT EXISTS: the claims were lapsed a moment ago, so the planner's statistics
    # count almost none lapsed, and it would probe the breaches with a nested loop that rescans the
    # very rows this statement inserts. The breaches on record are read once, into a hash.
    on_record = Breach.objects.filter(kind=kind, claim__isnull=False).values("claim")
    lapsed = (
        Claim.objects.filter(task__project__in=projects, status=ClaimStatus.LAPSED)
        .exclude(pk__in=on_record)
        .filter(Exists(someone_answers))
        .annotate(answering=_organisation_answering_for_claims())
    )
    opened = _open(
        lapsed,
        kind=kind,
        moment=moment,
        columns={
            "project_id": F("task__project_id"),
            "organisation_id": F("answering"),
            "claim_id": F("pk"),
            "severity": Value(Severity.LOW),
            "description": Concat(
                Value(_("Claim lapsed without check-ins: ")), F("task__title"), output_field=CharField()
            ),
        },
    )
    return {"claims_lapsed": lapsed_now, f"{kind}_opened": opened, f"{kind}_updated": 0}


def _failed_inspections(*, projects: QuerySet[Project, Any], moment: datetime) -> dict[str, int]:
    kind = BreachKind.FAILED_INSPECTION
    failed = Inspection.objects.filter(project__in=projects, result=InspectionResult.FAILED).filter(
        _no_breach(kind, inspection=OuterRef("pk"))
    )
    opened = _open(
        failed,
        kind=kind,
        moment=moment,
        columns={
            "project_id": F("project_id"),
            "organisation_id": F("organisation_id"),
            "inspection_id": F("pk"),
            "severity": Value(Severity.HIGH),
            "description": Value(_("Failed inspection.")),
        },
    )
    return {f"{kind}_opened": opened, f"{kind}_updated": 0}


# --- The job -------------------------------------------------------------------------------


def _cutoff(today: date | None, moment: datetime) -> datetime:
    """Deadlines count as passed as of now, or as of the end of `today` when an earlier day is given."""
    if today is None:
        return moment
    end_of_day = timezone.make_aware(datetime.combine(today, time.max))
    return min(moment, end_of_day)


def recompute_accountability(*, community_id: int | None = None, today: date | None = None) -> dict[str, int]:
    """Open breaches for new misses and escalate open ones, in all communities or one; return the counts.

    Each kind is its own transaction: a failure keeps what the kinds before it wrote, which the
    next run would have written anyway, and the database's write lock is held briefly.
    """
    moment = timezone.now()
    cutoff = _cutoff(today, moment)
    today = today or timezone.localdate()
    projects: QuerySet[Project, Any] = (
        Project.objects.all() if community_id is None else Project.objects.filter(community_id=community_id)
    )
    projects = projects.values("pk")
    # First, so that a recurring duty whose project has ended is not counted as missed.
    counts = {"duties_finished_past_end": duties_finish_past_project_end(projects=projects)}
    job_step(f"{JOB_NAME}.{BreachKind.OVERDUE_DUTY}")
    counts |= _overdue_duties(projects=projects, today=today, moment=moment)
    job_step(f"{JOB_NAME}.{BreachKind.MISSED_REPORT}")
    counts |= _missed_reports(projects=projects, today=today, moment=moment)
    job_step(f"{JOB_NAME}.{BreachKind.UNANSWERED_COMPLAINT}")
    counts |= _unanswered_complaints(projects=projects, cutoff=cutoff, moment=moment)
    job_step(f"{JOB_NAME}.{BreachKind.LAPSED_CLAIM}")
    counts |= _lapsed_claims(projects=projects, today=today, moment=moment)
    job_step(f"{JOB_NAME}.{BreachKind.FAILED_INSPECTION}")
    counts |= _failed_inspections(projects=projects, moment=moment)
    return counts
