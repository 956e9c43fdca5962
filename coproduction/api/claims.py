"""REST resources of tasks, claims and check-ins, and the residents' workflow on them.

Workflow actions call the same domain functions as the pages (`claim_create`, `claim_release`,
`checkin_record`); their refusals become the API's error shape in common.api (409 for a full
task, a second claim or a second check-in on the same day).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from common.api import (
    MAX_ID,
    ActionInputMixin,
    AppendOnlyCursorPagination,
    ErrorSerializer,
    FilterSet,
    IdFilter,
    VisibleToMixin,
)
from coproduction.api.reports import READ_REFUSALS, AnyAcceptNegotiation, downloads_documented
from coproduction.api.responses import REFUSALS as _refusals
from coproduction.attachments import PHOTO_TYPES
from coproduction.downloads import checkin_photo_download
from coproduction.models import CheckIn, Claim, ClaimStatus, Task, TaskKind, TaskStatus
from coproduction.services import claims as claim_services
from partners import roles
from partners.personal_data import contact_viewer_for

# --- Serializers -----------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "code",
            "title",
            "kind",
            "description",
            "area_m2",
            "location",
            "care_standard",
            "capacity",
            "active_claims",
            "places_left",
            "period_start",
            "period_end",
            "checkin_interval_days",
            "missed_checkins_allowed",
            "hours_per_checkin",
            "status",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    """The resident's phone is masked for callers who may not see it (e.g. the provider's staff)."""

    resident_name = serializers.CharField(source="resident.name", read_only=True)
    resident_phone = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "task",
            "resident",
            "resident_name",
            "resident_phone",
            "status",
            "claimed_at",
            "ended_at",
            "last_checkin_on",
        ]

    def get_resident_phone(self, claim: Claim) -> str:
        return contact_viewer_for(self.context["request"]).resident_contact(claim.resident)["phone"]


class CheckInSerializer(serializers.ModelSerializer):
    """A visit to a claimed task; the photo, if any, is downloaded through the API, never from MEDIA_URL."""

    task = serializers.IntegerField(source="claim.task_id", read_only=True)
    project = serializers.IntegerField(source="claim.task.project_id", read_only=True)
    resident = serializers.IntegerField(source="claim.resident_id", read_only=True)
    resident_name = serializers.CharField(source="claim.resident.name", read_only=True)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "claim",
            "task",
            "project",
            "resident",
            "resident_name",
            "on",
            "note",
            "hours",
            "photo_url",
            "created_at",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, checkin: CheckIn) -> str | None:
        if not checkin.photo:
            return None
        return reverse("checkin-photo", kwargs={"pk": checkin.pk}, request=self.context.get("request"))


class CheckInRecordSerializer(serializers.Serializer):
    on = serializers.DateField(
        help_text="The day of the visit (YYYY-MM-DD), within the task's period, not in the future."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, help_text="Optional PNG or JPEG; the type is read from the bytes.")


class VolunteerHoursSerializer(serializers.Serializer):
    resident = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of the signed-in resident.")
    volunteer_hours = serializers.DecimalField(max_digits=10, decimal_places=1)


# --- Filters ---------------------------------------------------------------------------------


class TaskFilter(FilterSet):
    status = filters.ChoiceFilter(choices=TaskStatus.choices)
    kind = filters.ChoiceFilter(choices=TaskKind.choices)

    class Meta:
        model = Task
        fields = ["project", "status", "kind"]


class ClaimFilter(FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)

    class Meta:
        model = Claim
        fields = ["task", "status"]


class CheckInFilter(FilterSet):
    claim = IdFilter(field_name="claim", help_text="Id of the claim.")
    task = IdFilter(field_name="claim__task", help_text="Id of the task.")
    project = IdFilter(field_name="claim__task__project", help_text="Id of the project.")
    community = IdFilter(field_name="claim__task__project__community", help_text="Id of the community.")
    on = filters.DateFromToRangeFilter(help_text="on_after / on_before (YYYY-MM-DD).")

    class Meta:
        model = CheckIn
        fields = ["claim", "task", "project", "community", "on"]


# --- Viewsets --------------------------------------------------------------------------------

_claim_refusals = {
    **_refusals,
    409: OpenApiResponse(ErrorSerializer, description="task_full or already_claimed."),
}
_checkin_refusals = {
    **_refusals,
    409: OpenApiResponse(ErrorSerializer, description="duplicate: the claim has a check-in on that day already."),
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
        claim = claim_services.claim_create(task=task, resident=resident, user=request.user)
        return Response(
            ClaimSerializer(claim, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


class ClaimViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Claims: residents see their own; officials and the project's staff see all of it."""

    queryset = Claim.objects.select_related("resident")
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["claimed_at", "status"]

    @extend_schema(request=None, responses={200: ClaimSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Give the place back."""
        claim = claim_services.claim_release(claim=self.get_object(), user=request.user)
        return Response(self.get_serializer(claim).data)

    @extend_schema(request=CheckInRecordSerializer, responses={201: CheckInSerializer, **_checkin_refusals})
    @action(detail=True, methods=["post"], url_path="check-in", parser_classes=[MultiPartParser])
    def check_in(self, request, pk=None):
        """Record a visit to the claimed task, with a note and an optional photo (multipart).

        The resident themself, or an official of their community registering it for them.
        """
        claim = self.get_object()
        given = self.action_input(CheckInRecordSerializer)
        checkin = claim_services.checkin_record(claim=claim, user=request.user, **given)
        checkin = CheckInViewSet.queryset.get(pk=checkin.pk)
        return Response(
            CheckInSerializer(checkin, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            200: VolunteerHoursSerializer,
            403: OpenApiResponse(ErrorSerializer, description="The caller is not a resident."),
        },
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def hours(self, request):
        """The volunteer hours the signed-in resident has given through check-ins."""
        resident = roles.resident_of(request.user)
        if resident is None:
            raise PermissionDenied(_("Only residents have volunteer hours."))
        hours = claim_services.volunteer_hours(resident=resident)
        return Response(VolunteerHoursSerializer({"resident": resident.pk, "volunteer_hours": hours}).data)


class CheckInViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Check-ins: residents see their own; officials and the project's staff see all of it. Newest first."""

    queryset = CheckIn.objects.select_related("claim__task", "claim__resident")
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    pagination_class = AppendOnlyCursorPagination
    search_fields = ["note"]
    ordering_fields = ["on", "created_at"]

    @extend_schema(
        request=None,
        responses={
            **downloads_documented("The photo, as an attachment named checkin-<id>.<ext>.", sorted(PHOTO_TYPES)),
            **READ_REFUSALS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        content_negotiation_class=AnyAcceptNegotiation,
        filter_backends=[],
        pagination_class=None,
    )
    def photo(self, request, pk=None):
        """Download the check-in's photo, under a name the platform gives it."""
        return checkin_photo_download(self.get_object())


routes = [
    ("tasks", TaskViewSet, "task"),
    ("claims", ClaimViewSet, "claim"),
    ("checkins", CheckInViewSet, "checkin"),
]
