"""The names of the counters the accountability jobs record on their runs, in the reader's language."""

from typing import TYPE_CHECKING

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accountability.models import BreachKind, RiskKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BREACHES_OPENED = gettext_noop("%(kind)s: breaches opened")
BREACHES_UPDATED = gettext_noop("%(kind)s: breaches escalated")
RISKS_RAISED = gettext_noop("%(kind)s: risks raised")
RISKS_UPDATED = gettext_noop("%(kind)s: risks updated")


def _of_kind(template: str, kind) -> str:
    return gettext(template) % {"kind": kind.label}


_of_kind_lazy = lazy(_of_kind, str)


def job_count_labels() -> "dict[str, StrOrPromise]":
    """{counter: label} for the keys the jobs of accountability/services return: breach_detection.py,
    risk_detection.py and supervision_reports.py."""
    labels: dict[str, StrOrPromise] = {
        "duties_finished_past_end": _("recurring duties ended with their project"),
        "claims_lapsed": _("claims lapsed"),
        "reports_created": _("supervision reports created"),
        "reports_refreshed": _("supervision reports refreshed"),
        "emails_sent": _("e-mails sent"),
    }
    for kind in BreachKind:
        labels[f"{kind}_opened"] = _of_kind_lazy(BREACHES_OPENED, kind)
        labels[f"{kind}_updated"] = _of_kind_lazy(BREACHES_UPDATED, kind)
    for risk_kind in RiskKind:
        labels[f"{risk_kind}_raised"] = _of_kind_lazy(RISKS_RAISED, risk_kind)
        labels[f"{risk_kind}_updated"] = _of_kind_lazy(RISKS_UPDATED, risk_kind)
    return labels
