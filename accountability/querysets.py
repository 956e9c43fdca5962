"""Visibility of accountability records: `<Model>.objects.visible_to(user)`, the one way to ask.

Duties, their matrix and completions, and inspections are part of the project's public record:
whoever sees the project sees them. Complaints name a resident, so only the officials of the
community, the organisation that must answer and the resident who filed one see it. Breaches
are seen by the officials and the organisation they name; risks and supervision reports are
the officials' working material.
"""

from django.db.models import Q

from common.scoping import ScopedQuerySet
from coproduction.querysets import OFFICIAL_COMMUNITIES_SQL, ProjectScopedQuerySet, ids_for_user
from partners import roles


class DutyAssignmentQuerySet(ProjectScopedQuerySet):
    project_path = "duty__project"


class DutyCompletionQuerySet(ProjectScopedQuerySet):
    project_path = "duty__project"


# The officials of the complaint's community, the organisation it is routed to, the resident who filed it.
_VISIBLE_COMPLAINTS = (
    "SELECT x.id FROM {Complaint} x JOIN {Project} p ON p.id = x.project_id"
    f" WHERE p.community_id IN ({OFFICIAL_COMMUNITIES_SQL})"
    " UNION ALL SELECT x.id FROM {Complaint} x JOIN {Membership} m ON m.organisation_id = x.routed_to_id"
    "  WHERE m.user_id = %s"
    " UNION ALL SELECT x.id FROM {Complaint} x JOIN {Resident} r ON r.id = x.resident_id WHERE r.user_id = %s"
)


class ComplaintQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        # One subquery of ids, a UNION ALL of index lookups, rather than an OR that PostgreSQL
        # can only test complaint by complaint (see coproduction.querysets).
        return self.filter(pk__in=ids_for_user(_VISIBLE_COMPLAINTS, user, Complaint=self.model._meta.db_table))


class BreachQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        return self.filter(
            Q(project__community__in=roles.official_communities(user).values("pk"))
            | Q(organisation__in=roles.organisations_of(user).values("pk"))
        )


class CommunityOfficialsQuerySet(ScopedQuerySet):
    """Records of a whole community that only its officials (and administrators) see."""

    def visible_to_member(self, user):
        return self.filter(community__in=roles.official_communities(user).values("pk"))


class InspectionTemplateQuerySet(ScopedQuerySet):
    """Checklist templates are the inspectors' working material: the officials of a community see the
    templates of the services its projects deliver, whichever version each project is on (an
    inspection starts from the newest version's template that exists, see inspection_template_items)."""

    def visible_to_member(self, user):
        from coproduction.models import Project

        delivered = Project.objects.filter(community__in=roles.official_communities(user).values("pk"))
        return self.filter(service_item__code__in=delivered.values("service_item__code"))
