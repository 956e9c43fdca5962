"""The coproduction project package and how partners work together in it."""
from .projects import (  # noqa: F401
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
from .reports import (  # noqa: F401
    UNREVIEWED_STATUSES,
    ReportAttachment,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    ServiceReport,
)
from .selection import (  # noqa: F401
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
from .tasks import CheckIn, Claim, ClaimStatus, Task, TaskKind, TaskStatus  # noqa: F401
from .jobs import JobOutcome, JobRun  # noqa: F401,E402
from .missed_tasks import MissedTask, task_fingerprint  # noqa: F401,E402
