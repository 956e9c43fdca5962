"""Visibility of evaluation records: `<Model>.objects.visible_to(user)`, the one way to ask.

Evaluations and their indicator scores follow their project. Ratings name residents, so a
resident sees only their own while officials and the project's organisations see all of them.
Indicators follow their service-list item (a draft's only its maintainers see). Trust scores are
the public record of how partners are judged, like the register of organisations: every
signed-in user sees them.
"""

from common.scoping import ScopedQuerySet
from coproduction.querysets import ClaimQuerySet, ProjectScopedQuerySet
from service_list.models import ServiceListItem


class EvaluationQuerySet(ProjectScopedQuerySet):
    project_path = "project"


class IndicatorScoreQuerySet(ProjectScopedQuerySet):
    project_path = "evaluation__project"


class RatingQuerySet(ClaimQuerySet):
    """The rule of claims, which name residents too: officials, the project's staff, the rater."""

    resident_path = "resident"
    project_path = "project"


class PublicToSignedInQuerySet(ScopedQuerySet):
    """Records every signed-in user may see, whatever their role."""

    def visible_to_member(self, user):
        return self.all()


class IndicatorQuerySet(ScopedQuerySet):
    """How services are judged is published with the service list: a draft item's indicators are
    seen by those who see the draft, the maintainers of the list."""

    def visible_to_member(self, user):
        return self.filter(service_item__in=ServiceListItem.objects.visible_to(user))


class TrustScoreQuerySet(PublicToSignedInQuerySet):
    """Partners' trust is part of their public record, like the register of organisations."""
