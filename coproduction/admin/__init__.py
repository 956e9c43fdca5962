"""Admin for coproduction, by subject; the names other apps' admins build on are re-exported here."""
from .common import (
    FixedProjectMixin,
    ServiceAddForm,
    ServiceAddMixin,
    ServiceFormMixin,
    ViewOnlyMixin,
    WeightsAddUpTo100FormSet,
    Workflow,
    WorkflowAdminMixin,
    WorkflowForm,
    limit_to_participants,
    recompute_concentration,
    run_service,
)
from .jobs import JobRunAdmin
from .projects import ProjectAdmin
from .reports import ServiceReportAdmin
from .selection import CallAdmin
from .tasks import ClaimAdmin, TaskAdmin

__all__ = [
    "CallAdmin", "ClaimAdmin", "FixedProjectMixin", "JobRunAdmin", "ProjectAdmin", "ServiceAddForm",
    "ServiceAddMixin", "ServiceFormMixin", "ServiceReportAdmin", "TaskAdmin", "ViewOnlyMixin",
    "WeightsAddUpTo100FormSet", "Workflow", "WorkflowAdminMixin", "WorkflowForm", "limit_to_participants",
    "recompute_concentration", "run_service",
]
