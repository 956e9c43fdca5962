"""Admin for coproduction, by subject; the names other apps' admins build on are re-exported here."""

from coproduction.admin.claims import ClaimAdmin, TaskAdmin
from coproduction.admin.common import (
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
from coproduction.admin.projects import ProjectAdmin
from coproduction.admin.reports import ServiceReportAdmin
from coproduction.admin.selection import CallAdmin

__all__ = [
    "CallAdmin",
    "ClaimAdmin",
    "FixedProjectMixin",
    "ProjectAdmin",
    "ServiceAddForm",
    "ServiceAddMixin",
    "ServiceFormMixin",
    "ServiceReportAdmin",
    "TaskAdmin",
    "ViewOnlyMixin",
    "WeightsAddUpTo100FormSet",
    "Workflow",
    "WorkflowAdminMixin",
    "WorkflowForm",
    "limit_to_participants",
    "recompute_concentration",
    "run_service",
]
