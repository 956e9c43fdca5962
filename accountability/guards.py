"""The lifecycle guard on duties: a project runs only if every duty has a current Accountable party.

accountability/receivers.py asks it in answer to coproduction's `lifecycle_guard` signal.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from accountability.models import Duty, DutyStatus
from coproduction.models import Project


def duties_have_a_current_accountable_party(project: Project) -> list[str]:
    """Every active duty's Accountable party takes part in this project and has not left it.

    The Accountable column is required, so each duty has exactly one by construction; what can go
    wrong is that the accountable organisation has left the project (or was taken from another
    one), leaving the duty with nobody to answer for it. A project without duties passes: the
    matrix may be filled in as the work takes shape.
    """
    orphaned = (
        Duty.objects.filter(project=project, status=DutyStatus.ACTIVE)
        .filter(~Q(accountable__project=project) | Q(accountable__left_on__isnull=False))
        .order_by("title")
        .values_list("title", flat=True)
    )
    titles = list(orphaned)
    if not titles:
        return []
    return [
        _("these duties need an accountable party that still takes part in the project: %(duties)s")
        % {"duties": ", ".join(titles)}
    ]
