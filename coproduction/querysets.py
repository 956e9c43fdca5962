"""Visibility of coproduction records: `<Model>.objects.visible_to(user)`, the one way to ask.

A project is visible to the officials over its community, to the staff of every organisation
taking part in it, and to the residents of its community. Records that belong to a project
inherit that rule; personal records (claims, check-ins) narrow it for residents to their own.
"""

from functools import cache

from django.db.models import Q
from django.db.models.expressions import RawSQL

from common.scoping import ScopedQuerySet
from partners import roles
from partners.models import Resident


@cache
def _tables() -> dict[str, str]:
    from coproduction.models import Claim, Participation, Project, Task
    from partners.models import Community, Membership, OfficialPost, Street

    models = (Claim, Community, Membership, OfficialPost, Participation, Project, Resident, Street, Task)
    return {model.__name__: model._meta.db_table for model in models}


# The sets of partners.roles (official_communities, organisations_of, resident_of's community)
# as UNION ALL of index lookups by the user's id (tests/coproduction/test_visibility_sql.py keeps
# the two forms equal). PostgreSQL plans this form in a fraction of the time an OR of subqueries
# takes and estimates the few rows it gives, so the outer query uses its indexes rather than
# testing every row; and the ORM builds it in microseconds.
# Each `%s` is the user's id.
OFFICIAL_COMMUNITIES_SQL = (
    "SELECT o.community_id FROM {OfficialPost} o WHERE o.user_id = %s"
    " UNION ALL SELECT c.id FROM {Community} c JOIN {OfficialPost} o ON o.street_id = c.street_id"
    "  WHERE o.user_id = %s"
    " UNION ALL SELECT c.id FROM {Community} c JOIN {Street} s ON s.id = c.street_id"
    "  JOIN {OfficialPost} o ON o.district_id = s.district_id WHERE o.user_id = %s"
)
_PARTNER_PROJECTS = (
    "SELECT w.project_id FROM {Participation} w"
    " JOIN {Membership} m ON m.organisation_id = w.organisation_id WHERE m.user_id = %s"
)


def _projects_sql(*, as_resident: bool) -> str:
    """Projects of the communities the user oversees (and, as_resident, lives in), and those
    their organisations take part in."""
    communities = OFFICIAL_COMMUNITIES_SQL
    if as_resident:
        communities += " UNION ALL SELECT r.community_id FROM {Resident} r WHERE r.user_id = %s"
    return f"SELECT p.id FROM {{Project}} p WHERE p.community_id IN ({communities}) UNION ALL {_PARTNER_PROJECTS}"


def ids_for_user(sql: str, user, **tables) -> RawSQL:
    """A subquery of ids from `sql`, whose `{Model}` names are tables (these and the scope's own)
    and whose every `%s` is the user's id."""
    return RawSQL(sql.format(**_tables(), **tables), [user.pk] * sql.count("%s"))


def visible_project_ids(user) -> RawSQL:
    """Ids of the projects a signed-in user sees, as a subquery: those of the communities they
    oversee (through any post) or live in, and those their organisations take part in."""
    return ids_for_user(_projects_sql(as_resident=True), user)


def overseen_or_partner_project_ids(user) -> RawSQL:
    """Ids of the projects of the communities a signed-in user oversees and of those their
    organisations take part in (not those of the community they live in), as a subquery."""
    return ids_for_user(_projects_sql(as_resident=False), user)


def visible_claim_ids(user) -> RawSQL:
    """Ids of the claims a signed-in user sees: all those of the projects they oversee or take
    part in, and their own as a resident."""
    sql = (
        "SELECT k.id FROM {Claim} k JOIN {Task} t ON t.id = k.task_id"
        f" WHERE t.project_id IN ({_projects_sql(as_resident=False)})"
        " UNION ALL SELECT k.id FROM {Claim} k JOIN {Resident} r ON r.id = k.resident_id WHERE r.user_id = %s"
    )
    return ids_for_user(sql, user)


class ProjectQuerySet(ScopedQuerySet):
    def public(self):
        """Projects anyone may read without signing in: from operation on. A design is still a
        plan between officials and candidates, and not yet anyone's commitment."""
        from coproduction.models import Stage

        return self.filter(stage__in=[Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED])

    def visible_to_member(self, user):
        # One subquery of ids (a UNION ALL of index lookups) rather than joins, so that a project
        # never repeats once per resident, and rather than an OR of subqueries, which PostgreSQL
        # can only test row by row: records hanging from projects are then found by their index.
        return self.filter(pk__in=visible_project_ids(user))


class ProjectScopedQuerySet(ScopedQuerySet):
    """For records that belong to one project and are seen by whoever sees the project."""

    project_path = "project"

    def visible_to_member(self, user):
        return self.filter(**{f"{self.project_path}__in": visible_project_ids(user)})


class ServiceReportQuerySet(ProjectScopedQuerySet):
    def visible_to_member(self, user):
        """Reports are business records: officials and the project's organisations, not residents."""
        return self.filter(project__in=overseen_or_partner_project_ids(user))


class ClaimQuerySet(ScopedQuerySet):
    """Claims name residents: a resident sees their own; officials and the project's staff see all."""

    resident_path = "resident"
    project_path = "task__project"

    def visible_to_member(self, user):
        claim_path = self._claim_path()
        if claim_path is not None:
            # Through the claim's id: the large tables (check-ins) are then read by their index.
            return self.filter(**{f"{claim_path}__in": visible_claim_ids(user)})
        return self.filter(
            Q(**{f"{self.project_path}__in": overseen_or_partner_project_ids(user)})
            | Q(**{f"{self.resident_path}__user": user})
        )

    def _claim_path(self) -> str | None:
        """The path to the claim, for the claims themselves and records reached through one."""
        if self.project_path == "task__project":
            return "pk"
        if self.project_path.endswith("__task__project"):
            return self.project_path.removesuffix("__task__project")
        return None


class CheckInQuerySet(ClaimQuerySet):
    resident_path = "claim__resident"
    project_path = "claim__task__project"


class CallQuerySet(ScopedQuerySet):
    def public(self):
        """Calls anyone may read without signing in: open ones (so anyone eligible may apply) and
        awarded ones (who won and why is the answer to rent-seeking). Calls under review and
        cancelled calls say nothing final."""
        from coproduction.models import CallStatus

        return self.filter(status__in=[CallStatus.OPEN, CallStatus.AWARDED])

    def visible_to_member(self, user):
        """Calls are public notices: officials see their communities' calls; organisations see
        every open call and those they applied to; residents see their community's calls."""
        from coproduction.models import Application, CallStatus

        conditions = Q(project__community__in=roles.official_communities(user).values("pk")) | Q(
            project__community__in=Resident.objects.filter(user=user).values("community")
        )
        organisations = roles.organisations_of(user)
        if organisations.exists():
            applied = Application.objects.filter(organisation__in=organisations).values("call")
            conditions |= Q(status=CallStatus.OPEN) | Q(pk__in=applied)
        return self.filter(conditions)


class ApplicationQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        """Applicants see their own; officials of the call's community see (and review) all."""
        return self.filter(
            Q(call__project__community__in=roles.official_communities(user).values("pk"))
            | Q(organisation__in=roles.organisations_of(user))
        )


class NeedQuerySet(ScopedQuerySet):
    """A need names the resident who expressed it: the officials of its community, who plan
    from it, and that resident see it; organisations see needs only once they become projects."""

    def visible_to_member(self, user):
        return self.filter(Q(community__in=roles.official_communities(user).values("pk")) | Q(resident__user=user))
