"""The coproduction project package and how partners work together in it."""
from coproduction.models.projects import (
    Contribution,
    ContributionKind,
    GovernanceLevel,
    Mode,
    Need,
    NeedStatus,
    Participation,
    ParticipationRole,
    Project,
    ProjectTransition,
    Stage,
)
from coproduction.models.reports import (
    UNREVIEWED_STATUSES,
    ReportAttachment,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    ServiceReport,
)
from coproduction.models.selection import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    Review,
    ReviewScore,
)
from coproduction.models.tasks import CheckIn, Claim, ClaimStatus, Task, TaskKind, TaskStatus  # noqa: F401
