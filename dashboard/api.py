"""The officials' dashboard figures over the REST API: GET /api/v1/communities/<id>/dashboard/.

The same figures as the community's dashboard page (dashboard.metrics.overview), for the same
people: officials who oversee the community and administrators. Another community reads as
missing (404), for officials as on the dashboard's pages; a resident or an organisation's staff,
who have no dashboard, are refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from coproduction.api.responses import REFUSALS
from dashboard import metrics
from partners.models import Community
from partners.roles import is_administrator, is_official

# --- The figures' shape: what metrics.overview() returns, with the related names spelled out ---


def _text(source: str | None = None, **options) -> serializers.CharField:
    return serializers.CharField(source=source, **options)


class StageCountSerializer(serializers.Serializer):
    stage = serializers.CharField()
    # A field named like the attribute Field.label: the API's name for it, kept.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class PlacedProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    community = serializers.CharField()
    mode = serializers.CharField()
    mode_label = serializers.CharField()
    authority = serializers.CharField(help_text="The governance authority's label.")
    share = serializers.FloatField(help_text="The government's share of contributions (resource concentration).")
    x = serializers.FloatField()
    y = serializers.FloatField()


class UnplacedProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    community = serializers.CharField()
    missing = serializers.ListField(child=serializers.ChoiceField(choices=["authority", "share"]))


class QuadrantSerializer(serializers.Serializer):
    placed = PlacedProjectSerializer(many=True)
    unplaced = UnplacedProjectSerializer(many=True, help_text="Projects whose authority or shares are unknown.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Projects per mode.")
    total = serializers.IntegerField()
    threshold = serializers.FloatField(help_text="The share from which resource concentration counts as high.")


class OverdueDutySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    next_due_on = serializers.DateField()
    days_overdue = serializers.IntegerField()
    project_id = serializers.IntegerField()
    project_name = _text("project__name")
    community_name = _text("project__community__name")
    accountable_organisation_name = _text("accountable__organisation__name")


class OverdueDutiesSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Every overdue duty; the rows are the longest overdue.")
    rows = OverdueDutySerializer(many=True)


class BreachRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    severity = serializers.CharField()
    severity_label = serializers.CharField()
    detected_at = serializers.DateTimeField()
    age_days = serializers.IntegerField()
    project_id = serializers.IntegerField()
    project_name = _text("project__name")
    organisation_name = _text("organisation__name")


class OpenBreachesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    high = serializers.IntegerField(help_text="How many of them are of high severity.")
    rows = BreachRowSerializer(many=True)


class ComplaintRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    filed_at = serializers.DateTimeField()
    response_due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    age_days = serializers.IntegerField()
    project_id = serializers.IntegerField()
    project_name = _text("project__name")
    routed_to_name = _text("routed_to__name")


class OpenComplaintsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="How many are past their response deadline.")
    rows = ComplaintRowSerializer(many=True)


class ReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    revision = serializers.IntegerField()
    waiting_days = serializers.IntegerField()
    project_id = serializers.IntegerField()
    project_name = _text("project__name")
    organisation_name = _text("organisation__name")


class ReportsAwaitingReviewSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    rows = ReportRowSerializer(many=True)


class SatisfactionMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    mean = serializers.FloatField(allow_null=True, help_text="Mean rating (1-5); null for a month nobody rated.")
    ratings = serializers.IntegerField()


class GradePeriodSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    grades = serializers.DictField(child=serializers.IntegerField(), help_text="Evaluations per grade (A-D).")
    evaluations = serializers.IntegerField()
    mean_total = serializers.FloatField()


class RiskRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    severity = serializers.CharField()
    severity_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    summary = serializers.CharField()
    raised_at = serializers.DateTimeField()
    age_days = serializers.IntegerField()
    community_name = _text("community__name")
    project_id = serializers.IntegerField(allow_null=True)
    project_name = _text("project__name", allow_null=True)


class CommunityClaimsSerializer(serializers.Serializer):
    name = serializers.CharField()
    claimed = serializers.IntegerField()
    capacity = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class TaskClaimsSerializer(serializers.Serializer):
    claimed = serializers.IntegerField(help_text="Places claimed on open tasks.")
    capacity = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="claimed / capacity; null without capacity.")
    communities = CommunityClaimsSerializer(many=True)


class JobRunRowSerializer(serializers.Serializer):
    job = serializers.CharField()
    label = serializers.CharField(  # type: ignore[assignment]  # named like Field.label: the API's name, kept
        help_text="The job's name in the caller's language."
    )
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    community = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    failed_scopes = serializers.IntegerField()
    failed = serializers.BooleanField()


class DashboardCommunitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CommunityDashboardSerializer(serializers.Serializer):
    community = DashboardCommunitySerializer()
    generated_at = serializers.DateTimeField()
    stages = StageCountSerializer(many=True)
    quadrant = QuadrantSerializer()
    overdue_duties = OverdueDutiesSerializer()
    breaches = OpenBreachesSerializer()
    complaints = OpenComplaintsSerializer()
    reports = ReportsAwaitingReviewSerializer(help_text="Submitted service reports not yet reviewed.")
    satisfaction = SatisfactionMonthSerializer(many=True, help_text="The last twelve months, oldest first.")
    grades = GradePeriodSerializer(many=True, help_text="Evaluation periods of the last two years.")
    risks = RiskRowSerializer(many=True, help_text="Open risks, most severe and oldest first.")
    claims = TaskClaimsSerializer()
    jobs = JobRunRowSerializer(many=True, help_text="Each periodic job's latest run.")


# --- The view ----------------------------------------------------------------------------------


class CommunityDashboardView(generics.GenericAPIView):
    """A community's dashboard figures: for officials who oversee it and administrators."""

    serializer_class = CommunityDashboardSerializer
    # The figures are lists of their own, each cut at a fixed length: no pagination or filters.
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Community.objects.none()
        return Community.objects.visible_to(self.request.user)

    @extend_schema(responses={200: CommunityDashboardSerializer, 403: REFUSALS[403], 404: REFUSALS[404]})
    def get(self, request, pk):
        # A community the caller cannot see reads as missing; a role without dashboards is refused; and,
        # as on the dashboard's pages, a community an official does not oversee reads as missing too,
        # even one they see for another reason (the community they live in).
        get_object_or_404(self.get_queryset(), pk=pk)
        if not (is_official(request.user) or is_administrator(request.user)):
            raise PermissionDenied(_("Only officials who oversee this community and administrators see its dashboard."))
        community = get_object_or_404(Community.objects.overseen_by(request.user), pk=pk)
        now = timezone.now()
        figures = metrics.overview(Community.objects.filter(pk=community.pk), now=now)
        data = {"community": community, "generated_at": now, **figures}
        return Response(self.get_serializer(data).data)
