"""Every reaction of the accountability app to the lower apps' signals, connected by AccountabilityConfig.ready().

- coproduction's events: the risk rules that follow an award or a report. They run inside the
  sender's transaction, so a failing rule rolls the award or the report back with it rather than
  leaving an action without its red flag.
- coproduction's lifecycle guard: a project runs only if every duty has a current accountable party.
- partners' resident data: the resident's complaints in their data export, and their photos
  erased when the account is removed.
- jobs' counter names: what the breach, risk and supervision report jobs count, in words.
"""

from django.dispatch import receiver

from accountability.guards import duties_have_a_current_accountable_party
from accountability.job_counts import job_count_labels
from accountability.personal_data import complaints_of, delete_complaint_photos
from accountability.services.risks import financial_unsustainability_for, rent_seeking_on_award
from coproduction.models import Stage
from coproduction.signals import call_awarded, lifecycle_guard, report_submitted
from jobs.signals import job_count_labels_requested
from partners.signals import resident_data_requested, resident_removing


@receiver(call_awarded, dispatch_uid="accountability.rent_seeking_on_award")
def flag_rent_seeking(sender, *, call, **kwargs) -> None:
    rent_seeking_on_award(call)


@receiver(report_submitted, dispatch_uid="accountability.financial_unsustainability_for")
def flag_financial_unsustainability(sender, *, report, **kwargs) -> None:
    financial_unsustainability_for(report.project, report.organisation)


@receiver(lifecycle_guard, dispatch_uid="accountability.duties_have_a_current_accountable_party")
def guard_duties(sender, *, project, to_stage, **kwargs) -> list[str]:
    if to_stage != Stage.OPERATION:
        return []
    return duties_have_a_current_accountable_party(project)


@receiver(resident_data_requested, dispatch_uid="accountability.resident_data")
def export_complaints(sender, *, resident, **kwargs) -> dict:
    return {"complaints": complaints_of(resident)}


@receiver(resident_removing, dispatch_uid="accountability.resident_removing")
def erase_complaint_photos(sender, *, resident, by, **kwargs) -> dict[str, int]:
    return delete_complaint_photos(resident, by)


@receiver(job_count_labels_requested, dispatch_uid="accountability.job_count_labels")
def name_job_counts(sender, **kwargs) -> dict:
    return job_count_labels()
