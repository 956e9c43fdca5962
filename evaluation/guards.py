"""The lifecycle guard on this app's data: a project closes only once its final evaluation is on record."""
from django.utils.translation import gettext as _

from coproduction.lifecycle import guard
from coproduction.models import Project, Stage

from .models import Evaluation


@guard(Stage.CLOSED)
def has_a_final_evaluation(project: Project) -> list[str]:
    # Result control comes before exit: without the final judgement there is nothing to renew or end on.
    if Evaluation.objects.filter(project=project, is_final=True).exists():
        return []
    return [_("a final evaluation must be recorded")]
