"""REST resources of tasks and claims, and the claim workflow.

Workflow actions call the same domain functions as the pages (`claim_create`, `claim_release`);
their refusals become the API's error shape in common.api (409 for a full task or a second claim).
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ErrorSerializer, VisibleToMixin
from partners import roles
from partners.api import disclosure_for
from partners.models import mask_phone

from .. import services
from ..models import Claim, ClaimStatus, Task, TaskKind, TaskStatus
from .responses import REFUSALS as _refusals

# --- Serializers -----------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "project", "code", "title", "kind", "description", "area_m2", "location", "care_standard",
            "capacity", "active_claims", "places_left", "period_start", "period_end", "checkin_interval_days",
            "missed_checkins_allowed", "hours_per_checkin", "status",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    """The resident's phone is masked for callers who may not see it (e.g. the provider's staff)."""

    resident_name = serializers.CharField(source="resident.name", read_only=True)
    resident_phone = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "task", "resident", "resident_name", "resident_phone", "status", "claimed_at", "ended_at",
                  "last_checkin_on"]

    def get_resident_phone(self, claim: Claim) -> str:
        if disclosure_for(self.context["request"]).shows_resident_contact(claim.resident):
            return claim.resident.phone
        return mask_phone(claim.resident.phone)


# --- Filters ---------------------------------------------------------------------------------


class TaskFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=TaskStatus.choices)
    kind = filters.ChoiceFilter(choices=TaskKind.choices)

    class Meta:
        model = Task
        fields = ["project", "status", "kind"]


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)

    class Meta:
        model = Claim
        fields = ["task", "status"]


# --- Viewsets --------------------------------------------------------------------------------

_claim_refusals = {
    **_refusals,
    409: OpenApiResponse(ErrorSerializer, description="task_full or already_claimed."),
}


class TaskViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks of the projects the caller sees; residents claim them here."""

    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    search_fields = ["code", "title", "location"]
    ordering_fields = ["code", "period_start", "period_end", "capacity"]

    @extend_schema(request=None, responses={201: ClaimSerializer, **_claim_refusals})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """Take a place on this task as the signed-in resident."""
        task = self.get_object()
        resident = roles.resident_of(request.user)
        if resident is None:
            raise PermissionDenied(_("Only residents may claim tasks."))
        claim = services.claim_create(task=task, resident=resident, user=request.user)
        claim = Claim.objects.select_related("resident").get(pk=claim.pk)
        return Response(ClaimSerializer(claim, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)


class ClaimViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Claims: residents see their own; officials and the project's staff see all of it."""

    queryset = Claim.objects.select_related("resident")
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["claimed_at", "status"]

    @extend_schema(request=None, responses={200: ClaimSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Give the place back."""
        claim = services.claim_release(claim=self.get_object(), user=request.user)
        return Response(self.get_serializer(claim).data)


routes = [
    ("tasks", TaskViewSet, "task"),
    ("claims", ClaimViewSet, "claim"),
]
