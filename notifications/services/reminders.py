"""The daily reminders job: tell people of a deadline before it passes, not after the breach.

Each kind of reminder is chosen by one SQL statement that returns the recipients with what they are
reminded of, and written by notify_each() in a fixed number of queries, so the job makes the same
number of queries for ten reminders as for ten thousand. Each reminder's key names the deadline it is
for (the report period, the duty's due date, the claim's last safe day, the complaint's deadline), so a
rerun, a retried task or two workers at once write each reminder once, and a new deadline gets a new one.

The rules, as of `today` (default: the local date):

- report_due: from day REPORT_REMINDER_FROM_DAY to the day before REPORT_DUE_DAY, the managers of each
  provider the previous month's service report is due from and not yet submitted
  (breach_detection.providers_without_report, the rule of the missed-report breach).
- duty_due: the managers of a duty's accountable organisation, when an active duty of a project not
  closed is due within DUTY_REMINDER_DAYS days (today included) and not yet completed for that date.
- claim_lapsing: the resident whose claim lapses unless they check in within CLAIM_REMINDER_DAYS days
  (coproduction.selectors.claims.claims_lapsing, the rule of claims_lapse_overdue()).
- complaint_deadline: the officials whose post covers the community, for each complaint awaiting a
  response whose deadline falls within COMPLAINT_REMINDER_HOURS hours.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from accountability.models import REPORT_DUE_DAY, Complaint, Duty, DutyCompletion, DutyStatus
from accountability.services.breach_detection import providers_without_report
from accountability.services.complaints import AWAITING_RESPONSE
from accountability.services.duties import add_months
from common.actors import TRUSTED
from coproduction.models import Project, Stage
from coproduction.selectors.claims import claims_lapsing, date_of_day_number
from jobs.execution import job_step
from notifications import kinds
from notifications.services.notify import Notice, notify_each
from partners.models import MembershipRole

JOB_NAME = "notifications.send_reminders"

REPORT_REMINDER_FROM_DAY = 5
DUTY_REMINDER_DAYS = 3
CLAIM_REMINDER_DAYS = 2
COMPLAINT_REMINDER_HOURS = 24
REMINDER_KINDS = (kinds.REPORT_DUE, kinds.DUTY_DUE, kinds.CLAIM_LAPSING, kinds.COMPLAINT_DEADLINE)


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def report_reminders(*, today: date) -> int:
    """The managers of each provider whose previous month's report is due by the REPORT_DUE_DAY and not submitted."""
    if not REPORT_REMINDER_FROM_DAY <= today.day < REPORT_DUE_DAY:
        return 0
    start = add_months(today.replace(day=1), -1)
    end = today.replace(day=1) - timedelta(days=1)
    due_by = today.replace(day=REPORT_DUE_DAY)
    rows = (
        providers_without_report(projects=Project.objects.all(), start=start, end=end)
        .filter(
            organisation__memberships__role=MembershipRole.MANAGER,
            organisation__memberships__user__is_active=True,
        )
        .values_list(
            "organisation__memberships__user_id",
            "organisation__memberships__user__email",
            "project_id",
            "project__name",
            "organisation_id",
        )
    )
    period = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    notices = [
        Notice(
            recipient_id=user_id,
            email=email,
            key=f"report_due:{project_id}:{organisation_id}:{start.isoformat()}",
            params={"project": project_name, "period": period, "date": due_by.isoformat()},
            # The form of the project's report, where the manager submits it.
            url=reverse("partner_portal:report_new", args=[project_id]),
        )
        for user_id, email, project_id, project_name, organisation_id in rows
    ]
    return notify_each(kind=kinds.REPORT_DUE.code, notices=notices, user=TRUSTED)


def duty_reminders(*, today: date) -> int:
    """The managers of the accountable organisation of each active duty due within DUTY_REMINDER_DAYS days."""
    completed = DutyCompletion.objects.filter(duty=OuterRef("pk"), due_on=OuterRef("next_due_on"))
    rows = (
        Duty.objects.filter(
            status=DutyStatus.ACTIVE,
            next_due_on__gte=today,
            next_due_on__lt=today + timedelta(days=DUTY_REMINDER_DAYS),
            accountable__organisation__memberships__role=MembershipRole.MANAGER,
            accountable__organisation__memberships__user__is_active=True,
        )
        .exclude(project__stage=Stage.CLOSED)
        .filter(~Exists(completed))
        .values_list(
            "accountable__organisation__memberships__user_id",
            "accountable__organisation__memberships__user__email",
            "pk",
            "title",
            "project__name",
            "next_due_on",
        )
    )
    notices = [
        Notice(
            recipient_id=user_id,
            email=email,
            key=f"duty_due:{duty_id}:{due_on.isoformat()}",
            params={"duty": title, "project": project_name, "date": due_on.isoformat()},
            url=reverse("partner_portal:duty_complete", args=[duty_id]),
        )
        for user_id, email, duty_id, title, project_name, due_on in rows
    ]
    return notify_each(kind=kinds.DUTY_DUE.code, notices=notices, user=TRUSTED)


def claim_reminders(*, today: date) -> int:
    """Each resident whose claim lapses unless they check in within CLAIM_REMINDER_DAYS days."""
    rows = (
        claims_lapsing(today=today, within_days=CLAIM_REMINDER_DAYS)
        .filter(resident__user__isnull=False, resident__user__is_active=True)
        .values_list("resident__user_id", "resident__user__email", "pk", "task__title", "last_safe_day")
    )
    notices = []
    for user_id, email, claim_id, task_title, last_safe_day in rows:
        check_in_by = date_of_day_number(last_safe_day)
        notices.append(
            Notice(
                recipient_id=user_id,
                email=email,
                key=f"claim_lapsing:{claim_id}:{check_in_by.isoformat()}",
                params={"task": task_title, "date": check_in_by.isoformat()},
                url=reverse("resident_portal:checkin", args=[claim_id]),
            )
        )
    return notify_each(kind=kinds.CLAIM_LAPSING.code, notices=notices, user=TRUSTED)


def _complaints_near_deadline(now: datetime) -> QuerySet[Complaint, Any]:
    return Complaint.objects.filter(
        status__in=AWAITING_RESPONSE,
        response_due_at__gt=now,
        response_due_at__lte=now + timedelta(hours=COMPLAINT_REMINDER_HOURS),
    )


def complaint_reminders(*, now: datetime) -> int:
    """The officials whose post covers the community of each complaint whose deadline is near."""
    columns = ("pk", "subject", "project__name", "response_due_at")
    # A post covers its community, or every community of its street or district: one UNION of the three,
    # which also tells an official holding two covering posts once.
    by_post = [
        _complaints_near_deadline(now)
        .filter(**{f"{path}__user__is_active": True})
        .values_list(f"{path}__user_id", f"{path}__user__email", *columns)
        .order_by()
        for path in (
            "project__community__official_posts",
            "project__community__street__official_posts",
            "project__community__street__district__official_posts",
        )
    ]
    rows = by_post[0].union(*by_post[1:])
    notices = [
        Notice(
            recipient_id=user_id,
            email=email,
            key=f"complaint_deadline:{complaint_id}:{due_at.isoformat()}",
            params={"subject": subject, "project": project_name, "deadline": _local(due_at)},
            url=reverse("dashboard:complaint_detail", args=[complaint_id]),
        )
        for user_id, email, complaint_id, subject, project_name, due_at in rows
    ]
    return notify_each(kind=kinds.COMPLAINT_DEADLINE.code, notices=notices, user=TRUSTED)


def reminders_send(*, today: date | None = None, now: datetime | None = None) -> dict[str, int]:
    """Write every reminder due today; returns how many of each kind were new."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    counts = {}
    job_step(f"{JOB_NAME}.{kinds.REPORT_DUE.code}")
    counts[kinds.REPORT_DUE.code] = report_reminders(today=today)
    job_step(f"{JOB_NAME}.{kinds.DUTY_DUE.code}")
    counts[kinds.DUTY_DUE.code] = duty_reminders(today=today)
    job_step(f"{JOB_NAME}.{kinds.CLAIM_LAPSING.code}")
    counts[kinds.CLAIM_LAPSING.code] = claim_reminders(today=today)
    job_step(f"{JOB_NAME}.{kinds.COMPLAINT_DEADLINE.code}")
    counts[kinds.COMPLAINT_DEADLINE.code] = complaint_reminders(now=now)
    return counts
