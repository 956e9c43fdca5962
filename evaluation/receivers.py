"""Every reaction of the evaluation app to the lower apps' signals, connected by EvaluationConfig.ready().

- services' events: the indicators that follow an item to its new version. The copy runs inside
  the sender's transaction, so a failing copy rolls the new version back with it rather than
  leaving a version that nothing can be evaluated against.
- accountability's events: a resolved breach refreshes the trust scores once it commits, rather
  than at tonight's run (the task is kept for the catch-up while the broker is down).
- accountability's supervision reports: the residents' satisfaction of each community.
- coproduction's lifecycle guard: a project closes only once its final evaluation is on record.
- partners' resident data: the resident's ratings in their data export.
- jobs' counter names: what the trust-score job counts, in words.
"""

from django.dispatch import receiver

from accountability.signals import breach_resolved, supervision_satisfaction
from coproduction.models import Stage
from coproduction.signals import lifecycle_guard
from evaluation.guards import has_a_final_evaluation
from evaluation.personal_data import ratings_of
from evaluation.selectors import satisfaction_by_community
from evaluation.services.indicators import indicators_copy_to_new_version
from evaluation.tasks import TRUST_JOB_NAME, job_count_labels
from jobs.execution import enqueue_on_commit
from jobs.signals import job_count_labels_requested
from partners.signals import resident_data_requested
from service_list.signals import list_item_version_created


@receiver(list_item_version_created, dispatch_uid="evaluation.indicators_copy_to_new_version")
def copy_indicators_to_new_version(sender, *, item, previous, user=None, **kwargs) -> None:
    indicators_copy_to_new_version(previous=previous, item=item, user=user)


@receiver(breach_resolved, dispatch_uid="evaluation.recompute_trust_scores_on_resolution")
def recompute_trust_scores_after_resolution(sender, **kwargs) -> None:
    # Trust scores weigh breaches and sanctions.
    enqueue_on_commit(TRUST_JOB_NAME)


@receiver(supervision_satisfaction, dispatch_uid="evaluation.satisfaction_by_community")
def report_satisfaction(sender, *, projects, start, end, **kwargs) -> dict:
    return satisfaction_by_community(projects=projects, start=start, end=end)


@receiver(lifecycle_guard, dispatch_uid="evaluation.has_a_final_evaluation")
def guard_final_evaluation(sender, *, project, to_stage, **kwargs) -> list[str]:
    if to_stage != Stage.CLOSED:
        return []
    return has_a_final_evaluation(project)


@receiver(resident_data_requested, dispatch_uid="evaluation.resident_data")
def export_ratings(sender, *, resident, **kwargs) -> dict:
    return {"ratings": ratings_of(resident)}


@receiver(job_count_labels_requested, dispatch_uid="evaluation.job_count_labels")
def name_job_counts(sender, **kwargs) -> dict:
    return job_count_labels()
