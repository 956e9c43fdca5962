"""Supervision reports: a stored weekly or monthly snapshot of each community's figures, sent to its officials.

supervision_reports_build() computes every figure for every community (or one) with a fixed
number of GROUP BY community queries, one per family of figures, assembles them in Python and
upserts one SupervisionReport per community and period: rerunning refreshes the snapshot in
place, the unique (community, period_kind, period_start) constraint making a duplicate
impossible. Only reports that did not exist before are e-mailed to the community's officials,
so a rerun never sends the same report twice.

What the figures mean, for a period [start, end] (local dates):

- projects: the community's projects by stage and by coproduction mode, as they are now.
- duties: `due` is the occurrences due in the period (completions recorded for a date in it,
  plus active duties whose next due date is in it), `completed` the completions among them,
  `missed` the overdue-duty breaches for a date in it.
- breaches: opened (detected) and resolved in the period, and opened by kind.
- complaints: filed in the period, answered in it with the mean hours from filing to the
  answer, and those still awaiting an answer past their deadline at the period's end.
- inspections: carried out in the period, by result.
- reports: service reports submitted and still awaiting an official's review.
- satisfaction: residents rate a project once per calendar month, so the ratings counted are
  those for the months the period touches. Ratings belong to the evaluation app, which this
  app may not import: it answers the `supervision_satisfaction` signal (accountability/signals.py).
- top_risks: the community's selectors.TOP_RISKS most severe risks not closed, newest first within a
  severity.
"""

import csv
import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, TextChoices
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accountability.models import (
    Breach,
    BreachKind,
    Complaint,
    ComplaintStatus,
    Duty,
    DutyCompletion,
    DutyStatus,
    Inspection,
    InspectionResult,
    PeriodKind,
    RiskKind,
    Severity,
    SupervisionReport,
)
from accountability.selectors import project_counts_by_community, top_risks_by_community
from accountability.services.duties import add_months
from accountability.signals import supervision_satisfaction
from audit.models import AuditAction
from audit.services import entry as audit_entry
from audit.services import record_many
from common.signals import signal_answers
from coproduction.models import Mode, Project, ReportStatus, ServiceReport, Stage
from partners.models import Community, OfficialPost

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

JOB_NAME = "accountability.build_supervision_reports"


# --- The period ----------------------------------------------------------------------------


def _last_completed_start(period_kind: str, today: date) -> date:
    if period_kind == PeriodKind.WEEKLY:
        return today - timedelta(days=today.weekday() + 7)
    return add_months(today.replace(day=1), -1)


def supervision_period(
    *, period_kind: str, period_start: date | None = None, today: date | None = None
) -> tuple[date, date]:
    """The period's first and last day: the one starting on `period_start`, or the last completed one before today."""
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("The period is weekly or monthly.")}, code="invalid_period")
    if period_start is None:
        period_start = _last_completed_start(period_kind, today or timezone.localdate())
    if period_kind == PeriodKind.WEEKLY:
        if period_start.weekday() != 0:
            raise ValidationError({"period_start": _("A weekly report starts on a Monday.")}, code="invalid_period")
        return period_start, period_start + timedelta(days=6)
    if period_start.day != 1:
        raise ValidationError(
            {"period_start": _("A monthly report starts on the first of a month.")}, code="invalid_period"
        )
    return period_start, add_months(period_start, 1) - timedelta(days=1)


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as a half-open range of aware datetimes: [start 00:00, the day after end 00:00)."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


# --- The figures: one GROUP BY community query per family -----------------------------------


def _count_by(queryset: QuerySet[Any], community_path: str, key: str = "n", **filters: object) -> dict[int, int]:
    rows = queryset.filter(**filters).values(community_path).annotate(**{key: Count("pk")}).order_by()
    return {row[community_path]: row[key] for row in rows}


def _duties(projects: QuerySet[Project], start: date, end: date) -> dict[int, dict[str, int]]:
    pending = _count_by(
        Duty.objects.filter(project__in=projects),
        "project__community",
        status=DutyStatus.ACTIVE,
        next_due_on__range=(start, end),
    )
    completed = _count_by(
        DutyCompletion.objects.filter(duty__project__in=projects),
        "duty__project__community",
        due_on__range=(start, end),
    )
    missed = _count_by(
        Breach.objects.filter(project__in=projects),
        "project__community",
        kind=BreachKind.OVERDUE_DUTY,
        due_on__range=(start, end),
    )
    communities = pending.keys() | completed.keys() | missed.keys()
    return {
        community: {
            "due": pending.get(community, 0) + completed.get(community, 0),
            "completed": completed.get(community, 0),
            "missed": missed.get(community, 0),
        }
        for community in communities
    }


def _breaches(projects: QuerySet[Project], start_at: datetime, end_at: datetime) -> dict[int, dict[str, Any]]:
    detected = Q(detected_at__gte=start_at, detected_at__lt=end_at)
    resolved = Q(resolved_at__gte=start_at, resolved_at__lt=end_at)
    rows = (
        Breach.objects.filter(project__in=projects)
        .filter(detected | resolved)
        .values("project__community", "kind")
        .annotate(opened=Count("pk", filter=detected), resolved=Count("pk", filter=resolved))
        .order_by()
    )
    figures: defaultdict[int, dict[str, Any]] = defaultdict(lambda: {"opened": 0, "resolved": 0, "opened_by_kind": {}})
    for row in rows:
        community = figures[row["project__community"]]
        community["opened"] += row["opened"]
        community["resolved"] += row["resolved"]
        if row["opened"]:
            community["opened_by_kind"][row["kind"]] = row["opened"]
    return figures


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def _complaints(projects: QuerySet[Project], start_at: datetime, end_at: datetime) -> dict[int, dict[str, Any]]:
    filed = Q(filed_at__gte=start_at, filed_at__lt=end_at)
    answered = Q(responded_at__gte=start_at, responded_at__lt=end_at)
    # Still awaiting an answer at the period's end although the deadline had passed by then.
    overdue = Q(filed_at__lt=end_at, response_due_at__lt=end_at) & (
        Q(status__in=[ComplaintStatus.OPEN, ComplaintStatus.REOPENED])
        | Q(responded_at__gte=end_at)
        # Closed by an official without an answer, after the period's end.
        | Q(status=ComplaintStatus.CLOSED, responded_at__isnull=True, closed_at__gte=end_at)
    )
    response_time = ExpressionWrapper(F("responded_at") - F("filed_at"), output_field=DurationField())
    rows = (
        Complaint.objects.filter(project__in=projects)
        .filter(filed | answered | overdue)
        .values("project__community")
        .annotate(
            filed=Count("pk", filter=filed),
            answered=Count("pk", filter=answered),
            overdue=Count("pk", filter=overdue),
            mean_response=Avg(response_time, filter=answered),
        )
        .order_by()
    )
    return {
        row["project__community"]: {
            "filed": row["filed"],
            "answered": row["answered"],
            "mean_response_hours": _hours(row["mean_response"]),
            "overdue": row["overdue"],
        }
        for row in rows
    }


def _inspections(projects: QuerySet[Project], start: date, end: date) -> dict[int, dict[str, Any]]:
    rows = (
        Inspection.objects.filter(project__in=projects, inspected_on__range=(start, end))
        .values("project__community", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures: defaultdict[int, dict[str, Any]] = defaultdict(lambda: {"total": 0, "by_result": {}})
    for row in rows:
        community = figures[row["project__community"]]
        community["total"] += row["n"]
        community["by_result"][row["result"]] = row["n"]
    return figures


def _reports(projects: QuerySet[Project]) -> dict[int, dict[str, int]]:
    pending = _count_by(
        ServiceReport.objects.filter(project__in=projects), "project__community", status=ReportStatus.SUBMITTED
    )
    return {community: {"pending_review": n} for community, n in pending.items()}


def _satisfaction(projects: QuerySet[Project], start: date, end: date) -> dict[int, dict[str, Any]]:
    figures: dict[int, dict[str, Any]] = {}
    for answer in signal_answers(supervision_satisfaction, SupervisionReport, projects=projects, start=start, end=end):
        figures.update(answer)
    return figures


def _figures(communities: QuerySet[Community], start: date, end: date) -> dict[int, dict[str, Any]]:
    """Every figure of every community in `communities`, keyed by community id."""
    projects = Project.objects.filter(community__in=communities)
    start_at, end_at = _moments(start, end)
    families: dict[str, tuple[Any, object]] = {
        "projects": (project_counts_by_community(projects), {"total": 0, "by_stage": {}, "by_mode": {}}),
        "duties": (_duties(projects, start, end), {"due": 0, "completed": 0, "missed": 0}),
        "breaches": (_breaches(projects, start_at, end_at), {"opened": 0, "resolved": 0, "opened_by_kind": {}}),
        "complaints": (
            _complaints(projects, start_at, end_at),
            {"filed": 0, "answered": 0, "mean_response_hours": None, "overdue": 0},
        ),
        "inspections": (_inspections(projects, start, end), {"total": 0, "by_result": {}}),
        "reports": (_reports(projects), {"pending_review": 0}),
        "satisfaction": (_satisfaction(projects, start, end), {"ratings": 0, "mean": None}),
        "top_risks": (top_risks_by_community(communities), []),
    }
    return {
        community_id: {name: figures.get(community_id, empty) for name, (figures, empty) in families.items()}
        for community_id in communities.values_list("pk", flat=True)
    }


# --- Storing and sending -------------------------------------------------------------------


def _store(
    *, figures: dict[int, dict[str, Any]], period_kind: str, start: date, end: date, moment: datetime
) -> list[tuple[SupervisionReport, bool]]:
    """Upsert the reports; return each with whether it is new (did not exist before)."""
    period = {"period_kind": period_kind, "period_start": start}
    existing = set(
        SupervisionReport.objects.filter(community__in=list(figures), **period).values_list("community", flat=True)
    )
    SupervisionReport.objects.bulk_create(
        [
            SupervisionReport(community_id=community_id, period_end=end, generated_at=moment, data=data, **period)
            for community_id, data in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["community", "period_kind", "period_start"],
        update_fields=["period_end", "generated_at", "data"],
        batch_size=500,
    )
    reports = list(
        SupervisionReport.objects.filter(community__in=list(figures), **period).select_related("community__street")
    )
    stored = [(report, report.community_id not in existing) for report in reports]
    note = _("Built by the supervision report job.")
    record_many(
        [
            audit_entry(
                actor=None, action=AuditAction.CREATE if is_new else AuditAction.CHANGE, instance=report, note=note
            )
            for report, is_new in stored
        ]
    )
    return stored


def _official_addresses(communities: list[Community]) -> dict[int, list[str]]:
    """The e-mail addresses of each community's officials: its own, and those of its street or district."""
    streets = {community.street_id for community in communities}
    districts = {community.street.district_id for community in communities}
    posts = (
        OfficialPost.objects.filter(Q(community__in=communities) | Q(street__in=streets) | Q(district__in=districts))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .values("community", "street", "district", "user__email")
    )
    by_level: defaultdict[tuple[str, int], set[str]] = defaultdict(set)
    for post in posts:
        level = (
            ("community", post["community"])
            if post["community"]
            else (("street", post["street"]) if post["street"] else ("district", post["district"]))
        )
        by_level[level].add(post["user__email"])
    addresses = {
        community.pk: by_level[("community", community.pk)]
        | by_level[("street", community.street_id)]
        | by_level[("district", community.street.district_id)]
        for community in communities
    }
    return {community_id: sorted(emails) for community_id, emails in addresses.items()}


def _satisfaction_line(satisfaction: dict[str, Any]) -> str:
    if satisfaction["mean"] is None:
        return _("Satisfaction: no ratings in the period")
    return _("Satisfaction: %(mean)s from %(ratings)s ratings") % satisfaction


def _message(report: SupervisionReport, recipients: list[str]) -> EmailMessage:
    data = report.data
    subject = _("Supervision report: %(community)s, %(kind)s from %(start)s") % {
        "community": report.community.name,
        "kind": report.get_period_kind_display(),
        "start": report.period_start,
    }
    complaints = data["complaints"]
    mean_response = complaints["mean_response_hours"]
    body = "\n".join(
        [
            subject,
            "",
            _("Projects: %(n)s") % {"n": data["projects"]["total"]},
            _("Duties due: %(due)s, missed: %(missed)s") % data["duties"],
            _("Breaches opened: %(opened)s, resolved: %(resolved)s") % data["breaches"],
            _("Complaints filed: %(filed)s, overdue: %(overdue)s, mean response hours: %(mean_response_hours)s")
            % {
                **complaints,
                "mean_response_hours": _none_text("mean_response_hours") if mean_response is None else mean_response,
            },
            _("Inspections: %(total)s") % data["inspections"],
            _("Reports awaiting review: %(pending_review)s") % data["reports"],
            _satisfaction_line(data["satisfaction"]),
            _("Open risks listed: %(n)s") % {"n": len(data["top_risks"])},
            "",
            _("The full figures are attached."),
        ]
    )
    message = EmailMessage(subject=subject, body=body, to=recipients)
    filename = f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.csv"
    message.attach(filename, supervision_report_csv(report), "text/csv")
    return message


def _notify(reports: list[tuple[SupervisionReport, bool]]) -> int:
    """E-mail each new report to its community's officials over one connection; return how many were sent."""
    new = [report for report, is_new in reports if is_new]
    if not new:
        return 0
    addresses = _official_addresses([report.community for report in new])
    messages = [
        _message(report, addresses[report.community_id]) for report in new if addresses.get(report.community_id)
    ]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def supervision_reports_build(
    *, period_kind: str, period_start: date | None = None, community_id: int | None = None, today: date | None = None
) -> dict[str, int]:
    """Build (or rebuild) the period's report of every community, or of one; e-mail the new ones.

    The e-mails go out once the reports are committed, so a failure to write never sends one.
    """
    start, end = supervision_period(period_kind=period_kind, period_start=period_start, today=today)
    communities = Community.objects.select_related("street")
    if community_id is not None:
        communities = communities.filter(pk=community_id)
        if not communities.exists():
            raise ValidationError({"community_id": _("No such community.")}, code="unknown_community")
    with transaction.atomic():
        figures = _figures(communities, start, end)
        reports = _store(figures=figures, period_kind=period_kind, start=start, end=end, moment=timezone.now())
    created = sum(is_new for _report, is_new in reports)
    return {"reports_created": created, "reports_refreshed": len(reports) - created, "emails_sent": _notify(reports)}


# --- Downloads -----------------------------------------------------------------------------


def supervision_report_rows(report: SupervisionReport) -> list[tuple[str, str, str]]:
    """The report as (section, figure, value) rows, nested figures named by their path."""
    rows: list[tuple[str, str, str]] = []

    def flatten(section: str, prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                flatten(section, f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            rows.append((section, prefix, "" if value is None else str(value)))

    for section, figures in report.data.items():
        if section == "top_risks":
            for number, risk in enumerate(figures, start=1):
                rows.append((section, str(number), f"{risk['severity']} {risk['kind']}: {risk['summary']}"))
        else:
            flatten(section, "", figures)
    return rows


def supervision_report_csv(report: SupervisionReport) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["section", "figure", "value"])
    writer.writerows(supervision_report_rows(report))
    return output.getvalue()


def _section_labels() -> dict[str, str]:
    return {
        "projects": _("Projects"),
        "duties": _("Duties"),
        "breaches": _("Breaches"),
        "complaints": _("Complaints"),
        "inspections": _("Inspections"),
        "reports": _("Service reports"),
        "satisfaction": _("Residents' satisfaction"),
        "top_risks": _("Top risks"),
    }


# The figures' names carry the context "supervision report figure" (written out each time, as
# the message extractor reads only literals): bare words such as "Total", "Due" or "Filed" name
# other things elsewhere (a score's total, a deadline, a filing time) and translate differently.


def _figure_labels() -> dict[str, str]:
    return {
        "total": pgettext("supervision report figure", "Total"),
        "due": pgettext("supervision report figure", "Due"),
        "completed": pgettext("supervision report figure", "Completed"),
        "missed": pgettext("supervision report figure", "Missed"),
        "opened": pgettext("supervision report figure", "Opened"),
        "resolved": pgettext("supervision report figure", "Resolved"),
        "filed": pgettext("supervision report figure", "Filed"),
        "answered": pgettext("supervision report figure", "Answered"),
        "mean_response_hours": pgettext("supervision report figure", "Mean hours to answer"),
        "overdue": pgettext("supervision report figure", "Overdue"),
        "pending_review": pgettext("supervision report figure", "Waiting for review"),
        "ratings": pgettext("supervision report figure", "Ratings"),
        "mean": pgettext("supervision report figure", "Mean rating"),
    }


def _none_text(figure: str) -> str:
    """What an absent mean says: there was nothing to average in the period."""
    if figure == "mean_response_hours":
        return pgettext("supervision report figure", "none (no complaint answered)")
    if figure == "mean":
        return pgettext("supervision report figure", "none (no ratings)")
    return "—"


# A figure named "by_stage.design" is the count of projects in the stage whose value is "design".
_GROUPS: "dict[str, tuple[type[TextChoices], StrOrPromise]]" = {
    "by_stage": (Stage, pgettext_lazy("supervision report figure", "By stage")),
    "by_mode": (Mode, pgettext_lazy("supervision report figure", "By mode")),
    "opened_by_kind": (BreachKind, pgettext_lazy("supervision report figure", "Opened, by kind")),
    "by_result": (InspectionResult, pgettext_lazy("supervision report figure", "By result")),
}


def _choice_label(choices: type[TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _figure_label(figure: str, labels: dict[str, str]) -> str:
    group, _dot, value = figure.partition(".")
    if value and group in _GROUPS:
        choices, group_label = _GROUPS[group]
        return pgettext("supervision report figure", "%(group)s: %(value)s") % {
            "group": group_label,
            "value": _choice_label(choices, value),
        }
    return labels.get(figure, figure)


def _risk_line(risk: dict[str, Any]) -> str:
    return f"{_choice_label(Severity, risk['severity'])} · {_choice_label(RiskKind, risk['kind'])}: {risk['summary']}"


def supervision_report_sections(report: SupervisionReport) -> list[tuple[str, list[tuple[str, str]]]]:
    """The report for people to read: each section and figure under its name in the reader's language.

    The CSV keeps the stable keys of supervision_report_rows(), which other programs read.
    """
    section_labels, figure_labels = _section_labels(), _figure_labels()
    sections: dict[str, list[tuple[str, str]]] = {section: [] for section in report.data}
    for section, figure, value in supervision_report_rows(report):
        if section == "top_risks":
            sections[section].append((figure, _risk_line(report.data["top_risks"][int(figure) - 1])))
        else:
            # The CSV leaves an absent value empty; people read what it means.
            shown = value if value != "" else _none_text(figure)
            sections[section].append((_figure_label(figure, figure_labels), shown))
    return [(section_labels.get(section, section), rows) for section, rows in sections.items()]


def supervision_report_html(report: SupervisionReport) -> str:
    """A printable page of the report (inline print CSS, nothing loaded from elsewhere)."""
    return render_to_string(
        "accountability/supervision_report.html", {"report": report, "sections": supervision_report_sections(report)}
    )
