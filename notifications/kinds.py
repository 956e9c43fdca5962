"""The kinds of notification: what each one says and to which audience, registered once here.

A kind's `title` is rendered with the notification's stored params at display and mail time, in the
reader's language, so the stored rows stay language-free. Add a kind with one `register(Kind(...))` call.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

RESIDENT = "resident"
PARTNER = "partner"
OFFICIAL = "official"
AUDIENCES = (RESIDENT, PARTNER, OFFICIAL)


@dataclass(frozen=True)
class Kind:
    """One kind of notification."""

    code: str
    label: StrOrPromise  # shown in preferences and filters
    title: StrOrPromise  # with %(name)s placeholders filled from the notification's params
    audience: str  # one of AUDIENCES

    def render_title(self, params: dict) -> str:
        """The title in the active language; a missing or stray param never breaks a page or a mail."""
        text = str(self.title)
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return str(self.label)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to KINDS; a code registered twice is a programming error."""
    if kind.audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {kind.audience!r} for kind {kind.code!r}")
    if kind.code in KINDS and KINDS[kind.code] != kind:
        raise ValueError(f"Kind {kind.code!r} is registered twice")
    KINDS[kind.code] = kind
    return kind


def kind_label(code: str) -> str:
    """The label of a kind, or its code when the kind is no longer registered."""
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def render_title(code: str, params: dict) -> str:
    """The title of a notification of this kind in the active language."""
    kind = KINDS.get(code)
    return kind.render_title(params) if kind else code


# The kinds, one register() call each.

# Events of the records people follow (notifications/receivers.py) and the reminders before a deadline
# (notifications/services/reminders.py).
COMPLAINT_ANSWERED = register(
    Kind(
        code="complaint_answered",
        label=_("Complaint answered"),
        title=_("Your complaint “%(subject)s” was answered"),
        audience=RESIDENT,
    )
)
COMPLAINT_REROUTED = register(
    Kind(
        code="complaint_rerouted",
        label=_("Complaint passed to another party"),
        title=_("Your complaint “%(subject)s” was passed to %(organisation)s to answer"),
        audience=RESIDENT,
    )
)
COMPLAINT_CLOSED = register(
    Kind(
        code="complaint_closed",
        label=_("Complaint closed"),
        title=_("Your complaint “%(subject)s” was closed by the community"),
        audience=RESIDENT,
    )
)
NEED_ANSWERED = register(
    Kind(
        code="need_answered",
        label=_("Need answered"),
        title=_("The community answered your need “%(title)s”"),
        audience=RESIDENT,
    )
)
CLAIM_CONFIRMED = register(
    Kind(
        code="claim_confirmed",
        label=_("Task claimed"),
        title=_("You have a place on the task “%(task)s”"),
        audience=RESIDENT,
    )
)
CLAIM_LAPSING = register(
    Kind(
        code="claim_lapsing",
        label=_("Check-in due before a claim lapses"),
        title=_("Check in on “%(task)s” by %(date)s, or your place lapses"),
        audience=RESIDENT,
    )
)
COMPLAINT_RECEIVED = register(
    Kind(
        code="complaint_received",
        label=_("Complaint to answer"),
        title=_("A resident's complaint “%(subject)s” awaits your answer by %(deadline)s"),
        audience=PARTNER,
    )
)
REPORT_ACCEPTED = register(
    Kind(
        code="report_accepted",
        label=_("Service report accepted"),
        title=_("Your service report on %(project)s for %(period)s was accepted"),
        audience=PARTNER,
    )
)
REPORT_RETURNED = register(
    Kind(
        code="report_returned",
        label=_("Service report returned"),
        title=_("Your service report on %(project)s for %(period)s was returned for changes"),
        audience=PARTNER,
    )
)
APPLICATION_AWARDED = register(
    Kind(
        code="application_awarded",
        label=_("Application awarded"),
        title=_("Your application to “%(call)s” was awarded"),
        audience=PARTNER,
    )
)
APPLICATION_NOT_AWARDED = register(
    Kind(
        code="application_not_awarded",
        label=_("Application not awarded"),
        title=_("Your application to “%(call)s” was not awarded"),
        audience=PARTNER,
    )
)
BREACH_OPENED = register(
    Kind(
        code="breach_opened",
        label=_("Breach recorded"),
        title=_("A breach was recorded against %(organisation)s on %(project)s"),
        audience=PARTNER,
    )
)
BREACH_RESOLVED = register(
    Kind(
        code="breach_resolved",
        label=_("Breach resolved"),
        title=_("A breach of %(organisation)s on %(project)s was resolved"),
        audience=PARTNER,
    )
)
REPORT_DUE = register(
    Kind(
        code="report_due",
        label=_("Service report due"),
        title=_("The service report on %(project)s for %(period)s is due by %(date)s"),
        audience=PARTNER,
    )
)
DUTY_DUE = register(
    Kind(
        code="duty_due",
        label=_("Duty due soon"),
        title=_("The duty “%(duty)s” on %(project)s is due on %(date)s"),
        audience=PARTNER,
    )
)
REPORT_SUBMITTED = register(
    Kind(
        code="report_submitted",
        label=_("Service report awaiting review"),
        title=_("%(organisation)s submitted its service report on %(project)s for %(period)s"),
        audience=OFFICIAL,
    )
)
COMPLAINT_DEADLINE = register(
    Kind(
        code="complaint_deadline",
        label=_("Complaint nearing its deadline"),
        title=_("The complaint “%(subject)s” on %(project)s must be answered by %(deadline)s"),
        audience=OFFICIAL,
    )
)
