"""Visibility of coproduction records: `<Model>.objects.visible_to(user)`, the one way to ask.

A project is visible to the officials over its community, to the staff of every organisation
taking part in it, and to the residents of its community. Records that belong to a project
inherit that rule; personal records (claims, check-ins) narrow it for residents to their own.
"""
from django.db.models import Q, QuerySet

from partners import roles
from partners.models import Resident


def projects_taken_part_in(user):
    """Ids of the projects the user's organisations take part in, as a subquery."""
    from .models import Participation

    return Participation.objects.filter(organisation__in=roles.organisations_of(user)).values("project")


class ProjectQuerySet(QuerySet):
    def public(self):
        """Projects anyone may read without signing in: from operation on. A design is still a
        plan between officials and candidates, and not yet anyone's commitment."""
        from .models import Stage

        return self.filter(stage__in=[Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED])

    def visible_to(self, user):
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        # Subqueries rather than joins, so that a project never repeats once per resident.
        return self.filter(
            Q(community__in=roles.official_communities(user).values("pk"))
            | Q(pk__in=projects_taken_part_in(user))
            | Q(community__in=Resident.objects.filter(user=user).values("community"))
        )


class ProjectScopedQuerySet(QuerySet):
    """For records that belong to one project and are seen by whoever sees the project."""

    project_path = "project"

    def visible_to(self, user):
        from .models import Project

        if roles.is_administrator(user):
            return self.all()
        return self.filter(**{f"{self.project_path}__in": Project.objects.visible_to(user).values("pk")})


class ServiceReportQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user):
        """Reports are business records: officials and the project's organisations, not residents."""
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(
            Q(project__community__in=roles.official_communities(user).values("pk"))
            | Q(project__in=projects_taken_part_in(user))
        )


class ClaimQuerySet(QuerySet):
    """Claims name residents: a resident sees their own; officials and the project's staff see all."""

    resident_path = "resident"
    project_path = "task__project"

    def visible_to(self, user):
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(
            Q(**{f"{self.project_path}__community__in": roles.official_communities(user).values("pk")})
            | Q(**{f"{self.project_path}__in": projects_taken_part_in(user)})
            | Q(**{f"{self.resident_path}__user": user})
        )


class CheckInQuerySet(ClaimQuerySet):
    resident_path = "claim__resident"
    project_path = "claim__task__project"


class CallQuerySet(QuerySet):
    def public(self):
        """Calls anyone may read without signing in: open ones (so anyone eligible may apply) and
        awarded ones (who won and why is the answer to rent-seeking). Calls under review and
        cancelled calls say nothing final."""
        from .models import CallStatus

        return self.filter(status__in=[CallStatus.OPEN, CallStatus.AWARDED])

    def visible_to(self, user):
        """Calls are public notices: officials see their communities' calls; organisations see
        every open call and those they applied to; residents see their community's calls."""
        from .models import CallStatus

        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        conditions = Q(project__community__in=roles.official_communities(user).values("pk")) | Q(
            project__community__in=Resident.objects.filter(user=user).values("community")
        )
        organisations = roles.organisations_of(user)
        if organisations.exists():
            conditions |= Q(status=CallStatus.OPEN) | Q(applications__organisation__in=organisations)
        return self.filter(conditions).distinct()


class ApplicationQuerySet(QuerySet):
    def visible_to(self, user):
        """Applicants see their own; officials of the call's community see (and review) all."""
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(
            Q(call__project__community__in=roles.official_communities(user).values("pk"))
            | Q(organisation__in=roles.organisations_of(user))
        )


class NeedQuerySet(QuerySet):
    """A need names the resident who expressed it: the officials of its community, who plan
    from it, and that resident see it; organisations see needs only once they become projects."""

    def visible_to(self, user):
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(
            Q(community__in=roles.official_communities(user).values("pk")) | Q(resident__user=user)
        )
