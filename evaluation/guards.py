"""The lifecycle guard on this app's data: a project closes only once its final evaluation is on record.

evaluation/receivers.py asks it in answer to coproduction's `lifecycle_guard` signal.
"""

from django.utils.translation import gettext as _

from coproduction.models import Project
from evaluation.models import Evaluation


def has_a_final_evaluation(project: Project) -> list[str]:
    # Result control comes before exit: without the final judgement there is nothing to renew or end on.
    if Evaluation.objects.filter(project=project, is_final=True).exists():
        return []
    return [_("a final evaluation must be recorded")]
