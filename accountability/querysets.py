"""Visibility of accountability records: `<Model>.objects.visible_to(user)`, the one way to ask.

Duties, their matrix and completions, and inspections are part of the project's public record:
whoever sees the project sees them. Complaints name a resident, so only the officials of the
community, the organisation that must answer and the resident who filed one see it. Breaches
are seen by the officials and the organisation they name; risks and supervision reports are
the officials' working material.
"""
from django.db.models import Q, QuerySet

from coproduction.querysets import ProjectScopedQuerySet
from partners import roles



class DutyAssignmentQuerySet(ProjectScopedQuerySet):
    project_path = "duty__project"


class DutyCompletionQuerySet(ProjectScopedQuerySet):
    project_path = "duty__project"



class ComplaintQuerySet(QuerySet):
    def visible_to(self, user):
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(
            Q(project__community__in=roles.official_communities(user).values("pk"))
            | Q(routed_to__in=roles.organisations_of(user).values("pk"))
            | Q(resident__user=user)
        )


class BreachQuerySet(QuerySet):
    def visible_to(self, user):
        if roles.is_administrator(user):
            return self.all()
        if not roles.is_signed_in(user):
            return self.none()
        return self.filter(
            Q(project__community__in=roles.official_communities(user).values("pk"))
            | Q(organisation__in=roles.organisations_of(user).values("pk"))
        )


class CommunityOfficialsQuerySet(QuerySet):
    """Records of a whole community that only its officials (and administrators) see."""

    def visible_to(self, user):
        if roles.is_administrator(user):
            return self.all()
        return self.filter(community__in=roles.official_communities(user).values("pk"))


