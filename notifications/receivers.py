"""This app's reactions to the lower apps' signals: each one notifies the people an event concerns.

Every receiver runs inside the sender's transaction, so its notifications are written with the event
(the outbox) or rolled back with it. Each event has a key of its own, so that the same event told
twice is stored once per person:

- residents: their complaint answered, passed to another party or closed; their need answered;
  their place on a task taken.
- partners (the organisation's managers, or the officials for a government body): a complaint to
  answer, with its deadline; their service report accepted or returned; their application awarded or
  not; a breach recorded against them (by an inspection, or set-based by the daily job), or resolved.
- officials (whose post covers the community): a service report awaiting their review.
- jobs' counter names: what the reminders job counts, in words.
"""

from datetime import datetime

from django.db.models import QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accountability.models import Breach, Complaint
from accountability.signals import (
    breach_opened,
    breach_resolved,
    breaches_detected,
    complaint_answered,
    complaint_closed,
    complaint_routed,
)
from common.actors import Actor
from coproduction.models import Application, ApplicationStatus, Call, Claim, Need, ReportStatus, ServiceReport
from coproduction.signals import call_awarded, claim_created, need_answered, report_reviewed, report_submitted
from jobs.signals import job_count_labels_requested
from notifications import kinds
from notifications.personal_data import notifications_erase, notifications_of
from notifications.recipients import answering_for, managers_of, managers_of_any, officials_for
from notifications.services.notify import Notice, notify, notify_each
from notifications.services.reminders import REMINDER_KINDS
from partners.models import MembershipRole, OrganisationKind, Resident, User
from partners.signals import resident_data_requested, resident_removing


def moment(at: datetime) -> str:
    """A moment as people read it in the notification, in the platform's time zone, language-free."""
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _resident_account(resident: Resident | None) -> list[User]:
    # A resident registered by an official without a phone has no account to tell.
    return [resident.user] if resident is not None and resident.user is not None else []


def _report_params(report: ServiceReport) -> dict[str, str | int]:
    return {
        "project": report.project.name,
        "organisation": report.organisation.name,
        "period": f"{report.period_start:%Y-%m-%d} – {report.period_end:%Y-%m-%d}",
    }


# --- Residents ---------------------------------------------------------------------------------


@receiver(complaint_answered, dispatch_uid="notifications.complaint_answered")
def tell_resident_complaint_answered(sender, *, complaint: Complaint, by: Actor, **kwargs) -> None:
    assert complaint.responded_at is not None  # set by complaint_answer() before it sends
    notify(
        recipients=_resident_account(complaint.resident),
        kind=kinds.COMPLAINT_ANSWERED.code,
        # A reopened complaint answered again is a new event.
        key=f"complaint_answered:{complaint.pk}:{complaint.responded_at.isoformat()}",
        params={"subject": complaint.subject},
        url=reverse("resident_portal:complaint", args=[complaint.pk]),
        user=by,
    )


@receiver(complaint_closed, dispatch_uid="notifications.complaint_closed")
def tell_resident_complaint_closed(sender, *, complaint: Complaint, by: Actor, **kwargs) -> None:
    notify(
        recipients=_resident_account(complaint.resident),
        kind=kinds.COMPLAINT_CLOSED.code,
        key=f"complaint_closed:{complaint.pk}",
        params={"subject": complaint.subject},
        url=reverse("resident_portal:complaint", args=[complaint.pk]),
        user=by,
    )


@receiver(need_answered, dispatch_uid="notifications.need_answered")
def tell_resident_need_answered(sender, *, need: Need, by: Actor, **kwargs) -> None:
    assert need.responded_at is not None  # set by need_answer() before it sends
    notify(
        recipients=_resident_account(need.resident),
        kind=kinds.NEED_ANSWERED.code,
        # A planned need may later be merged or declined: each answer is its own event.
        key=f"need_answered:{need.pk}:{need.status}:{need.responded_at.isoformat()}",
        params={"title": need.title},
        url=reverse("resident_portal:needs"),
        user=by,
    )


@receiver(claim_created, dispatch_uid="notifications.claim_confirmed")
def tell_resident_claim_confirmed(sender, *, claim: Claim, by: Actor, **kwargs) -> None:
    notify(
        recipients=_resident_account(claim.resident),
        kind=kinds.CLAIM_CONFIRMED.code,
        key=f"claim_confirmed:{claim.pk}",
        params={"task": claim.task.title},
        url=reverse("resident_portal:task", args=[claim.task_id]),
        user=by,
    )


# --- Complaints: the party that answers, and the resident when it changes ----------------------


def _complaint_answer_url(complaint: Complaint) -> str:
    """Where the answering party answers: officials for a government body (in the dashboard), else the
    organisation's managers (in the partner portal), as answering_for() chooses them."""
    if complaint.routed_to.kind == OrganisationKind.GOVERNMENT:
        return reverse("dashboard:complaint_detail", args=[complaint.pk])
    return reverse("partner_portal:complaint_answer", args=[complaint.pk])


@receiver(complaint_routed, dispatch_uid="notifications.complaint_routed")
def tell_complaint_routed(sender, *, complaint: Complaint, reason: str, at: datetime, by: Actor, **kwargs) -> None:
    organisation = complaint.routed_to
    community_id = complaint.project.community_id
    answering: QuerySet[User] = answering_for(
        organisation_id=organisation.pk, organisation_kind=organisation.kind, community_id=community_id
    )
    notify(
        recipients=answering,
        kind=kinds.COMPLAINT_RECEIVED.code,
        key=f"complaint_received:{complaint.pk}:{at.isoformat()}",
        params={"subject": complaint.subject, "deadline": moment(complaint.response_due_at)},
        url=_complaint_answer_url(complaint),
        user=by,
    )
    if reason == "rerouted":
        notify(
            recipients=_resident_account(complaint.resident),
            kind=kinds.COMPLAINT_REROUTED.code,
            key=f"complaint_rerouted:{complaint.pk}:{at.isoformat()}",
            params={"subject": complaint.subject, "organisation": organisation.name},
            url=reverse("resident_portal:complaint", args=[complaint.pk]),
            user=by,
        )


# --- Partners ----------------------------------------------------------------------------------


@receiver(report_reviewed, dispatch_uid="notifications.report_reviewed")
def tell_provider_report_reviewed(sender, *, report: ServiceReport, by: Actor, **kwargs) -> None:
    kind = kinds.REPORT_ACCEPTED if report.status == ReportStatus.ACCEPTED else kinds.REPORT_RETURNED
    notify(
        recipients=managers_of(report.organisation_id),
        kind=kind.code,
        key=f"{kind.code}:{report.pk}:{report.revision}",
        params=_report_params(report),
        url=reverse("partner_portal:report", args=[report.pk]),
        user=by,
    )


@receiver(call_awarded, dispatch_uid="notifications.call_awarded")
def tell_applicants_call_awarded(sender, *, call: Call, by: Actor, **kwargs) -> None:
    winner = call.awarded_application
    assert winner is not None  # set by call_award() before it sends
    url = reverse("partner_portal:calls")
    params: dict[str, str | int] = {"call": call.title}
    notify(
        recipients=managers_of(winner.organisation_id),
        kind=kinds.APPLICATION_AWARDED.code,
        key=f"application_awarded:{call.pk}",
        params=params,
        url=url,
        user=by,
    )
    others = Application.objects.filter(call=call, status=ApplicationStatus.NOT_AWARDED).values("organisation_id")
    notify(
        recipients=managers_of_any(others),
        kind=kinds.APPLICATION_NOT_AWARDED.code,
        key=f"application_not_awarded:{call.pk}",
        params=params,
        url=url,
        user=by,
    )


def _breach_params(breach: Breach) -> dict[str, str | int]:
    return {"organisation": breach.organisation.name, "project": breach.project.name}


@receiver(breach_opened, dispatch_uid="notifications.breach_opened")
def tell_partner_breach_opened(sender, *, breach: Breach, by: Actor, **kwargs) -> None:
    notify(
        recipients=managers_of(breach.organisation_id),
        kind=kinds.BREACH_OPENED.code,
        key=f"breach_opened:{breach.pk}",
        params=_breach_params(breach),
        url=reverse("partner_portal:record"),
        user=by,
    )


@receiver(breaches_detected, dispatch_uid="notifications.breaches_detected")
def tell_partners_breaches_detected(sender, *, breaches: QuerySet[Breach], by: Actor, **kwargs) -> None:
    # The daily job's breaches, each to its organisation's managers: one query whatever their number.
    rows = breaches.filter(
        organisation__memberships__role=MembershipRole.MANAGER, organisation__memberships__user__is_active=True
    ).values_list(
        "organisation__memberships__user_id",
        "organisation__memberships__user__email",
        "pk",
        "organisation__name",
        "project__name",
    )
    url = reverse("partner_portal:record")
    notices = [
        Notice(
            recipient_id=user_id,
            email=email,
            key=f"breach_opened:{breach_id}",
            params={"organisation": organisation, "project": project},
            url=url,
        )
        for user_id, email, breach_id, organisation, project in rows
    ]
    notify_each(kind=kinds.BREACH_OPENED.code, notices=notices, user=by)


@receiver(breach_resolved, dispatch_uid="notifications.breach_resolved")
def tell_partner_breach_resolved(sender, *, breach: Breach, by: Actor, **kwargs) -> None:
    notify(
        recipients=managers_of(breach.organisation_id),
        kind=kinds.BREACH_RESOLVED.code,
        key=f"breach_resolved:{breach.pk}",
        params=_breach_params(breach),
        url=reverse("partner_portal:record"),
        user=by,
    )


# --- Officials ---------------------------------------------------------------------------------


@receiver(report_submitted, dispatch_uid="notifications.report_submitted")
def tell_officials_report_submitted(sender, *, report: ServiceReport, by: Actor, **kwargs) -> None:
    notify(
        recipients=officials_for(report.project.community_id),
        kind=kinds.REPORT_SUBMITTED.code,
        # Each revision awaits its own review.
        key=f"report_submitted:{report.pk}:{report.revision}",
        params=_report_params(report),
        url=reverse("dashboard:report_review", args=[report.pk]),
        user=by,
    )


@receiver(job_count_labels_requested, dispatch_uid="notifications.job_count_labels")
def name_job_counts(sender, **kwargs) -> dict:
    # The reminders job counts the reminders it wrote, by kind.
    return {kind.code: kind.label for kind in REMINDER_KINDS}


# --- A resident's own data -----------------------------------------------------------------------


@receiver(resident_data_requested, dispatch_uid="notifications.resident_data")
def export_notifications(sender, *, resident: Resident, **kwargs) -> dict:
    return {"notifications": notifications_of(resident)}


@receiver(resident_removing, dispatch_uid="notifications.resident_removing")
def erase_notifications(sender, *, resident: Resident, **kwargs) -> dict:
    return notifications_erase(resident)
