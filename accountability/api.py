"""REST resources of the accountability app: duties, complaints, inspections, breaches, risks, supervision reports.

Reads are scoped by each model's `visible_to`; writes and workflow actions call the same domain
functions as the pages (accountability.duties, .complaints, .inspections, .breaches, .risks),
so every rule, permission check and audit entry stays in one place. A record named in the
request body must be one the caller may see: any other id is answered as if it did not exist.
"""
import json

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from common.api import (
    ActionInputMixin,
    ErrorSerializer,
    FilterSet,
    IdFilter,
    ParentRelatedField,
    VisibleRelatedField,
    VisibleToMixin,
)
from common.bounds import column_length
from coproduction.api.reports import READ_REFUSALS, AnyAcceptNegotiation, downloads_documented
from coproduction.api.responses import REFUSALS
from coproduction.models import Participation, Project
from partners import roles
from partners.models import Community, Organisation
from partners.personal_data import contact_viewer_for, mask_name
from services.models import ServiceListItem

from . import breaches, complaints, duties, inspections, risks
from .models import (
    Breach,
    BreachKind,
    BreachStatus,
    Complaint,
    ComplaintStatus,
    Duty,
    DutyAssignment,
    DutyCompletion,
    DutyStatus,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionTemplate,
    PeriodKind,
    RaciRole,
    Recurrence,
    Risk,
    RiskKind,
    RiskStatus,
    Sanction,
    Severity,
    SupervisionReport,
)
from .supervision import supervision_report_csv

# How many of a duty's latest completions its record shows; the rest are under duty-completions/.
RECENT_COMPLETIONS = 3
# The matrix reads in the order of its name.
RACI_ORDER = {role: position for position, role in enumerate("RACI")}


def _refusals(conflict: str | None = None) -> dict:
    """The documented refusals of an action, with its 409 when a state conflict can refuse it."""
    if conflict is None:
        return REFUSALS
    return {**REFUSALS, 409: OpenApiResponse(ErrorSerializer, description=conflict)}


def _resident_or_refuse(request, message: str):
    resident = roles.resident_of(request.user)
    if resident is None:
        raise PermissionDenied(message)
    return resident


class TargetProjectField(ParentRelatedField):
    """The project a new duty, complaint or inspection hangs from."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Project.objects.all(), **kwargs)


# --- Duties ----------------------------------------------------------------------------------


class DutyPartySerializer(serializers.Serializer):
    """One cell of the responsibility matrix: a participant and the letter it holds."""

    role = serializers.ChoiceField(choices=RaciRole.choices)
    participation = serializers.IntegerField()
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()


class DutyCompletionSerializer(serializers.ModelSerializer):
    completed_by_name = serializers.StringRelatedField(source="completed_by")

    class Meta:
        model = DutyCompletion
        fields = ["id", "duty", "due_on", "completed_at", "completed_by", "completed_by_name", "evidence"]


class DutySerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    accountable_organisation = serializers.IntegerField(source="accountable.organisation_id", read_only=True)
    matrix = serializers.SerializerMethodField(
        help_text="The Accountable party (exactly one) first, then the Responsible, Consulted and Informed ones."
    )
    recent_completions = DutyCompletionSerializer(many=True, read_only=True)

    class Meta:
        model = Duty
        fields = [
            "id", "project", "community", "title", "description", "accountable", "accountable_organisation",
            "matrix", "recurrence", "next_due_on", "status", "created_at", "recent_completions",
        ]

    @extend_schema_field(DutyPartySerializer(many=True))
    def get_matrix(self, duty: Duty) -> list[dict]:
        parties = [(RaciRole.ACCOUNTABLE, duty.accountable)]
        parties += [(assignment.role, assignment.participation) for assignment in duty.assignments.all()]
        parties.sort(key=lambda party: RACI_ORDER[party[0]])
        return [
            {
                "role": role, "participation": participation.pk, "organisation": participation.organisation_id,
                "organisation_name": participation.organisation.name,
            }
            for role, participation in parties
        ]


class DutyCreateInputSerializer(serializers.Serializer):
    project = TargetProjectField(help_text="Id of the project.")
    title = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=column_length(Duty, "title"))
    description = serializers.CharField(required=False, allow_blank=True, default="")
    accountable = VisibleRelatedField(queryset=Participation.objects.all(), help_text="Id of a participation.")
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default=Recurrence.ONCE)
    next_due_on = serializers.DateField()
    responsible = VisibleRelatedField(queryset=Participation.objects.all(), many=True, required=False, default=list)
    consulted = VisibleRelatedField(queryset=Participation.objects.all(), many=True, required=False, default=list)
    informed = VisibleRelatedField(queryset=Participation.objects.all(), many=True, required=False, default=list)


class DutyAssignmentInputSerializer(serializers.Serializer):
    participation = VisibleRelatedField(queryset=Participation.objects.all())
    role = serializers.ChoiceField(
        choices=RaciRole.choices, help_text="R, C or I; the Accountable party is changed with set-accountable."
    )


class DutySetAccountableInputSerializer(serializers.Serializer):
    participation = VisibleRelatedField(queryset=Participation.objects.all())
    reason = serializers.CharField(allow_blank=True)


class DutyCompleteInputSerializer(serializers.Serializer):
    evidence = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(
        required=False, help_text="The occurrence being completed, as last seen; defaults to the current one."
    )


class DutyFilter(FilterSet):
    project = IdFilter(help_text="Id of the project.")
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(
        field_name="accountable__organisation", help_text="Id of the accountable organisation."
    )
    status = filters.ChoiceFilter(choices=DutyStatus.choices)
    recurrence = filters.ChoiceFilter(choices=Recurrence.choices)
    next_due_on = filters.DateFromToRangeFilter(help_text="next_due_on_after / next_due_on_before (YYYY-MM-DD).")

    class Meta:
        model = Duty
        fields = ["project", "community", "organisation", "status", "recurrence", "next_due_on"]


class DutyViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Duties of the projects the caller sees, each with its responsibility matrix and latest completions."""

    queryset = Duty.objects.select_related("project", "accountable__organisation").prefetch_related(
        Prefetch("assignments", queryset=DutyAssignment.objects.select_related("participation__organisation")),
        Prefetch(
            "completions",
            queryset=DutyCompletion.objects.select_related("completed_by").order_by("-due_on")[:RECENT_COMPLETIONS],
            to_attr="recent_completions",
        ),
    )
    serializer_class = DutySerializer
    filterset_class = DutyFilter
    search_fields = ["title", "description"]
    ordering_fields = ["next_due_on", "title", "status", "created_at"]

    def _duty_response(self, duty: Duty, code: int = status.HTTP_200_OK) -> Response:
        """The duty re-read with its matrix, so the answer shows the change just made."""
        return Response(self.get_serializer(self.queryset.get(pk=duty.pk)).data, status=code)

    @extend_schema(request=DutyCreateInputSerializer, responses={201: DutySerializer, **_refusals("duplicate_title.")})
    def create(self, request):
        """Add a duty to a project with its one Accountable party and the rest of its matrix (officials)."""
        data = self.action_input(DutyCreateInputSerializer)
        duty = duties.duty_create(
            project=data["project"], title=data["title"], accountable=data["accountable"],
            user=request.user, recurrence=data["recurrence"], next_due_on=data["next_due_on"],
            description=data["description"], responsible=data["responsible"], consulted=data["consulted"],
            informed=data["informed"],
        )
        return self._duty_response(duty, status.HTTP_201_CREATED)

    @extend_schema(
        request=DutyAssignmentInputSerializer, responses={200: DutySerializer, **_refusals("already_assigned.")}
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Make a participant of the project Responsible, Consulted or Informed on the duty (officials)."""
        duty = self.get_object()
        data = self.action_input(DutyAssignmentInputSerializer)
        duties.duty_assign(duty=duty, participation=data["participation"], role=data["role"], user=request.user)
        return self._duty_response(duty)

    @extend_schema(request=DutyAssignmentInputSerializer, responses={200: DutySerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        """Take a Responsible, Consulted or Informed role away from a participant (officials)."""
        duty = self.get_object()
        data = self.action_input(DutyAssignmentInputSerializer)
        duties.duty_unassign(duty=duty, participation=data["participation"], role=data["role"], user=request.user)
        return self._duty_response(duty)

    @extend_schema(request=DutySetAccountableInputSerializer, responses={200: DutySerializer, **_refusals()})
    @action(detail=True, methods=["post"], url_path="set-accountable")
    def set_accountable(self, request, pk=None):
        """Hand the duty's accountability to another participant, saying why (officials).

        Refusals about the new party are reported under the field `accountable`.
        """
        duty = self.get_object()
        data = self.action_input(DutySetAccountableInputSerializer)
        duties.duty_set_accountable(
            duty=duty, participation=data["participation"], user=request.user, reason=data["reason"]
        )
        return self._duty_response(duty)

    @extend_schema(
        request=DutyCompleteInputSerializer,
        responses={201: DutyCompletionSerializer, **_refusals("already_completed.")},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Record the evidence for the duty's current occurrence and move it on.

        Staff of the accountable or a responsible organisation, or an official, may complete it.
        """
        duty = self.get_object()
        data = self.action_input(DutyCompleteInputSerializer)
        completion = duties.duty_complete(
            duty=duty, user=request.user, evidence=data["evidence"], due_on=data.get("due_on")
        )
        return Response(DutyCompletionSerializer(completion).data, status=status.HTTP_201_CREATED)


class DutyCompletionFilter(FilterSet):
    duty = IdFilter(help_text="Id of the duty.")
    project = IdFilter(field_name="duty__project", help_text="Id of the project.")
    community = IdFilter(field_name="duty__project__community", help_text="Id of the community.")
    due_on = filters.DateFromToRangeFilter(help_text="due_on_after / due_on_before (YYYY-MM-DD).")
    completed_at = filters.DateFromToRangeFilter(help_text="completed_at_after / completed_at_before (YYYY-MM-DD).")

    class Meta:
        model = DutyCompletion
        fields = ["duty", "project", "community", "due_on", "completed_at"]


class DutyCompletionViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Every recorded completion of the duties the caller sees, with its evidence."""

    queryset = DutyCompletion.objects.select_related("completed_by")
    serializer_class = DutyCompletionSerializer
    filterset_class = DutyCompletionFilter
    search_fields = ["evidence"]
    ordering_fields = ["due_on", "completed_at"]


# --- Complaints ------------------------------------------------------------------------------


class ComplaintSerializer(serializers.ModelSerializer):
    """Who complained is shown to the community's officials and the resident; others see it masked."""

    community = serializers.IntegerField(source="project.community_id", read_only=True)
    resident = serializers.IntegerField(
        source="resident_id", read_only=True, allow_null=True, help_text="Null when the caller may not see who it is."
    )
    resident_name = serializers.CharField(source="resident.name", read_only=True, help_text="Masked (张**) likewise.")
    resident_phone = serializers.CharField(source="resident.phone", read_only=True, help_text="Masked (138****5678).")
    routed_to_name = serializers.CharField(source="routed_to.name", read_only=True)
    answered_by_officials = serializers.BooleanField(
        read_only=True, help_text="Routed to a government body: the community's officials answer it."
    )

    class Meta:
        model = Complaint
        fields = [
            "id", "project", "community", "duty", "resident", "resident_name", "resident_phone", "routed_to",
            "routed_to_name", "answered_by_officials", "subject", "body", "status", "filed_at", "response_due_at",
            "deadline_extended_at", "response", "responded_at", "responded_by", "closed_at", "closed_by",
            "closing_note",
        ]

    def to_representation(self, complaint: Complaint) -> dict:
        data = super().to_representation(complaint)
        viewer = contact_viewer_for(self.context["request"])
        data["resident_phone"] = viewer.resident_contact(complaint.resident)["phone"]
        if not viewer.may_see_resident_contact(complaint.resident):
            data["resident"] = None
            data["resident_name"] = mask_name(complaint.resident.name)
        return data


class ComplaintFileInputSerializer(serializers.Serializer):
    project = TargetProjectField(help_text="Id of the project, in the resident's community and running.")
    subject = serializers.CharField(allow_blank=True, max_length=column_length(Complaint, "subject"))
    body = serializers.CharField(allow_blank=True)
    duty = VisibleRelatedField(
        queryset=Duty.objects.select_related("accountable__organisation"), required=False, allow_null=True,
        help_text="The duty the complaint is about; the complaint then goes to its accountable organisation.",
    )


class ComplaintAnswerInputSerializer(serializers.Serializer):
    response = serializers.CharField(allow_blank=True)


class ComplaintReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ComplaintRerouteInputSerializer(serializers.Serializer):
    organisation = VisibleRelatedField(
        queryset=Organisation.objects.all(),
        help_text="Id of a current participant of the project somebody can answer for.",
    )
    reason = serializers.CharField(allow_blank=True)


class ComplaintExtendInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ComplaintCloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class ComplaintFilter(FilterSet):
    project = IdFilter(help_text="Id of the project.")
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    routed_to = IdFilter(help_text="Id of the organisation that must answer.")
    status = filters.ChoiceFilter(choices=ComplaintStatus.choices)
    filed_at = filters.DateFromToRangeFilter(help_text="filed_at_after / filed_at_before (YYYY-MM-DD).")

    class Meta:
        model = Complaint
        fields = ["project", "community", "routed_to", "status", "filed_at"]


class ComplaintViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Complaints: the community's officials, the organisation it is routed to, and the resident who filed it."""

    queryset = Complaint.objects.select_related("project", "resident", "routed_to")
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    search_fields = ["subject", "body"]
    ordering_fields = ["filed_at", "response_due_at", "status"]

    def _complaint_response(self, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.queryset.get(pk=complaint.pk)).data, status=code)

    @extend_schema(request=ComplaintFileInputSerializer, responses={201: ComplaintSerializer, **_refusals()})
    def create(self, request):
        """File a complaint about a running project as the signed-in resident; it is routed with a deadline."""
        resident = _resident_or_refuse(request, _("Only residents may file complaints."))
        data = self.action_input(ComplaintFileInputSerializer)
        complaint = complaints.complaint_file(
            project=data["project"], resident=resident, subject=data["subject"],
            body=data["body"], duty=data.get("duty"),
        )
        return self._complaint_response(complaint, status.HTTP_201_CREATED)

    @extend_schema(request=ComplaintAnswerInputSerializer, responses={200: ComplaintSerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the complaint: staff of the organisation it was routed to, or an official of the community."""
        complaint = self.get_object()
        data = self.action_input(ComplaintAnswerInputSerializer)
        complaint = complaints.complaint_answer(complaint=complaint, user=request.user, response=data["response"])
        return self._complaint_response(complaint)

    @extend_schema(request=None, responses={200: ComplaintSerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Accept the answer and close the complaint (the resident who filed it)."""
        complaint = self.get_object()
        resident = _resident_or_refuse(request, _("Only the resident who filed the complaint may do this."))
        complaint = complaints.complaint_confirm(complaint=complaint, resident=resident)
        return self._complaint_response(complaint)

    @extend_schema(request=ComplaintReopenInputSerializer, responses={200: ComplaintSerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reject the answer, saying why: the complaint must be answered again within a new deadline."""
        complaint = self.get_object()
        resident = _resident_or_refuse(request, _("Only the resident who filed the complaint may do this."))
        data = self.action_input(ComplaintReopenInputSerializer)
        complaint = complaints.complaint_reopen(complaint=complaint, resident=resident, reason=data["reason"])
        return self._complaint_response(complaint)

    @extend_schema(request=ComplaintRerouteInputSerializer, responses={200: ComplaintSerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def reroute(self, request, pk=None):
        """Send the complaint to another current participant of the project, with a reason (an official)."""
        complaint = self.get_object()
        data = self.action_input(ComplaintRerouteInputSerializer)
        complaint = complaints.complaint_reroute(
            complaint=complaint, user=request.user, organisation=data["organisation"], reason=data["reason"]
        )
        return self._complaint_response(complaint)

    @extend_schema(
        request=ComplaintExtendInputSerializer,
        responses={200: ComplaintSerializer, **_refusals("already_extended: the deadline was extended once already.")},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the response deadline by one response period, once per complaint, with a reason (an official)."""
        complaint = self.get_object()
        data = self.action_input(ComplaintExtendInputSerializer)
        complaint = complaints.complaint_extend(complaint=complaint, user=request.user, reason=data["reason"])
        return self._complaint_response(complaint)

    @extend_schema(
        request=ComplaintCloseInputSerializer,
        responses={200: ComplaintSerializer, **_refusals("already_closed: the complaint is closed already.")},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the complaint with a note (an official)."""
        complaint = self.get_object()
        data = self.action_input(ComplaintCloseInputSerializer)
        complaint = complaints.complaint_close(complaint=complaint, user=request.user, note=data["note"])
        return self._complaint_response(complaint)


# --- Inspections -----------------------------------------------------------------------------


class ChecklistItemSerializer(serializers.Serializer):
    item = serializers.CharField(allow_blank=True)
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionPhotoSerializer(serializers.ModelSerializer):
    """A photo of the inspection: its checked type and size, and where to download it."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "content_type", "width", "height", "uploaded_at", "download_url"]

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, photo: InspectionPhoto) -> str:
        return reverse(
            "inspection-photo", kwargs={"pk": photo.inspection_id, "photo_id": photo.pk},
            request=self.context.get("request"),
        )


class InspectionSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    inspector_name = serializers.StringRelatedField(source="inspector")
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "project", "community", "organisation", "organisation_name", "inspector", "inspector_name",
            "inspected_on", "checklist", "result", "notes", "photos",
        ]


class InspectionRecordInputSerializer(serializers.Serializer):
    project = TargetProjectField(help_text="Id of the project.")
    organisation = VisibleRelatedField(queryset=Organisation.objects.all(), help_text="The inspected organisation.")
    inspected_on = serializers.DateField()
    checklist = ChecklistItemSerializer(
        many=True, allow_empty=True, help_text="The result follows from it: all passed, minor issues, or failed."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.STR)
class ChecklistTextField(serializers.Field):
    """The checklist of a multipart form, whose fields are flat: the same list, written as JSON text."""

    default_error_messages = {
        # Braces doubled: DRF formats its error messages.
        "not_json": gettext_lazy(
            'Write the checklist as JSON text: [{{"item": "…", "passed": true, "note": "…"}}, …].'
        ),
    }

    def to_internal_value(self, data):
        try:
            rows = json.loads(data) if isinstance(data, str) else None
        except ValueError:
            rows = None
        if not isinstance(rows, list):
            self.fail("not_json")
        checked = ChecklistItemSerializer(data=rows, many=True)
        checked.is_valid(raise_exception=True)
        return checked.validated_data

    def to_representation(self, value):
        return json.dumps(value)


class InspectionRecordUploadSerializer(InspectionRecordInputSerializer):
    """The same inspection sent as a multipart form, with its photos."""

    checklist = ChecklistTextField(
        help_text='JSON text: [{"item": "Kitchen clean", "passed": true, "note": ""}]. The result follows from it.'
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="Zero or more JPEG or PNG photos; each is decoded, checked and stored re-encoded.",
    )


class InspectionFilter(FilterSet):
    project = IdFilter(help_text="Id of the project.")
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(help_text="Id of the inspected organisation.")
    result = filters.ChoiceFilter(choices=InspectionResult.choices)
    inspected_on = filters.DateFromToRangeFilter(help_text="inspected_on_after / inspected_on_before (YYYY-MM-DD).")

    class Meta:
        model = Inspection
        fields = ["project", "community", "organisation", "result", "inspected_on"]


class InspectionViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Inspections are part of the project's public record: whoever sees the project sees them."""

    queryset = Inspection.objects.select_related("project", "organisation", "inspector").prefetch_related("photos")
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    search_fields = ["notes", "organisation__name"]
    ordering_fields = ["inspected_on", "result"]
    # A JSON body for the checklist alone; a multipart form when photos come with it.
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": InspectionRecordInputSerializer,
            "multipart/form-data": InspectionRecordUploadSerializer,
        },
        responses={201: InspectionSerializer, **_refusals()},
    )
    def create(self, request):
        """Record an inspection against a checklist (officials), with photos when sent as a multipart form;
        a failed one opens a breach at once."""
        multipart = (request.content_type or "").startswith("multipart/")
        data = self.action_input(InspectionRecordUploadSerializer if multipart else InspectionRecordInputSerializer)
        inspection = inspections.inspection_record(
            project=data["project"], organisation=data["organisation"], user=request.user,
            inspected_on=data["inspected_on"], checklist=data["checklist"], notes=data["notes"],
            photos=data.get("photos", ()),
        )
        inspection = self.queryset.get(pk=inspection.pk)
        return Response(self.get_serializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            **downloads_documented(
                "The photo, as an attachment named inspection-<id>-<photo id>.<ext>.", ["image/jpeg", "image/png"]
            ),
            **READ_REFUSALS,
        },
    )
    @action(
        detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>[0-9]+)", url_name="photo",
        content_negotiation_class=AnyAcceptNegotiation, filter_backends=[], pagination_class=None,
    )
    def photo(self, request, pk=None, photo_id=None, format=None):
        """Download one photo of the inspection, under a name the platform gives it."""
        if format is not None:
            raise Http404
        inspection = self.get_object()
        return inspections.inspection_photo_download(
            get_object_or_404(InspectionPhoto.objects.filter(inspection=inspection), pk=photo_id)
        )


class InspectionTemplateSerializer(serializers.ModelSerializer):
    service_item_code = serializers.CharField(source="service_item.code", read_only=True)
    service_item_name = serializers.CharField(source="service_item.name", read_only=True)
    service_item_version = serializers.IntegerField(source="service_item.version", read_only=True)
    items = serializers.ListField(child=serializers.CharField(), read_only=True)
    updated_by_name = serializers.StringRelatedField(source="updated_by")

    class Meta:
        model = InspectionTemplate
        fields = [
            "id", "service_item", "service_item_code", "service_item_name", "service_item_version", "items",
            "updated_at", "updated_by", "updated_by_name",
        ]


TEMPLATE_ITEMS_HELP = (
    f"The checklist's item names, in order: at most {inspections.TEMPLATE_MAX_ITEMS}, each at most "
    f"{inspections.TEMPLATE_ITEM_MAX_LENGTH} characters, none repeated; blank ones are dropped."
)


class InspectionTemplateUpdateInputSerializer(serializers.Serializer):
    # First, so that a community the caller cannot see is the 404 its URL would be.
    community = ParentRelatedField(
        queryset=Community.objects.all(),
        help_text="The community the official acts for; one of its projects must deliver the service.",
    )
    items = serializers.ListField(child=serializers.CharField(allow_blank=True), help_text=TEMPLATE_ITEMS_HELP)


class InspectionTemplateCreateInputSerializer(InspectionTemplateUpdateInputSerializer):
    service_item = VisibleRelatedField(
        queryset=ServiceListItem.objects.all(), help_text="The version of the service-list item the checklist is for."
    )


class InspectionTemplateFilter(FilterSet):
    service_item = IdFilter(help_text="Id of the service-list item (one version).")
    code = filters.CharFilter(field_name="service_item__code", help_text="Code of the service-list item.")

    class Meta:
        model = InspectionTemplate
        fields = ["service_item", "code"]


_template_refusals = {
    **REFUSALS,
    400: OpenApiResponse(
        ErrorSerializer, description="Bad items, or no project of the community delivers the service: keyed by field."
    ),
    403: OpenApiResponse(ErrorSerializer, description="The caller is not an official of the community."),
}


class InspectionTemplateViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """The checklists inspections start from, one per version of a service-list item; officials see those of
    the services their communities deliver, and write them through the same service as the dashboard."""

    # One template per version: by service, newest version first.
    queryset = InspectionTemplate.objects.select_related("service_item", "updated_by").order_by(
        "service_item__code", "-service_item__version"
    )
    serializer_class = InspectionTemplateSerializer
    filterset_class = InspectionTemplateFilter
    ordering_fields = ["updated_at"]

    def _saved(self, template: InspectionTemplate, created: bool) -> Response:
        template = self.queryset.get(pk=template.pk)
        return Response(
            self.get_serializer(template).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        request=InspectionTemplateCreateInputSerializer,
        responses={
            201: InspectionTemplateSerializer,
            200: OpenApiResponse(InspectionTemplateSerializer, description="The item had a template: replaced."),
            **_template_refusals,
        },
    )
    def create(self, request):
        """Write the checklist template of a service-list item one of the official's community's projects
        delivers; an item that has one already gets its items replaced."""
        data = self.action_input(InspectionTemplateCreateInputSerializer)
        existed = InspectionTemplate.objects.filter(service_item=data["service_item"]).exists()
        template = inspections.inspection_template_save(
            service_item=data["service_item"], items=data["items"], user=request.user,
            community_id=data["community"].pk,
        )
        return self._saved(template, created=not existed)

    @extend_schema(
        request=InspectionTemplateUpdateInputSerializer,
        responses={200: InspectionTemplateSerializer, **_template_refusals},
    )
    @action(detail=True, methods=["post"], url_path="update", url_name="update")
    def update_items(self, request, pk=None):
        """Replace the template's items (officials of a community that delivers its service)."""
        template = self.get_object()
        data = self.action_input(InspectionTemplateUpdateInputSerializer)
        template = inspections.inspection_template_save(
            service_item=template.service_item, items=data["items"], user=request.user,
            community_id=data["community"].pk,
        )
        return self._saved(template, created=False)


# --- Breaches --------------------------------------------------------------------------------


class BreachSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Breach
        fields = [
            "id", "kind", "severity", "status", "project", "community", "organisation", "organisation_name", "duty",
            "due_on", "complaint", "claim", "inspection", "description", "details", "detected_at", "updated_at",
            "resolved_at", "resolved_by", "resolution", "sanction",
        ]


class BreachResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True)
    sanction = serializers.ChoiceField(
        choices=Sanction.choices, help_text="Suspension and blacklist also change the organisation's status."
    )


class BreachFilter(FilterSet):
    project = IdFilter(help_text="Id of the project.")
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    organisation = IdFilter(help_text="Id of the accountable organisation.")
    kind = filters.ChoiceFilter(choices=BreachKind.choices)
    status = filters.ChoiceFilter(choices=BreachStatus.choices)
    severity = filters.ChoiceFilter(choices=Severity.choices)
    detected_at = filters.DateFromToRangeFilter(help_text="detected_at_after / detected_at_before (YYYY-MM-DD).")

    class Meta:
        model = Breach
        fields = ["project", "community", "organisation", "kind", "status", "severity", "detected_at"]


class BreachViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Breaches: the community's officials and the organisation each one names."""

    queryset = Breach.objects.select_related("project", "organisation")
    serializer_class = BreachSerializer
    filterset_class = BreachFilter
    search_fields = ["description", "organisation__name"]
    ordering_fields = ["detected_at", "updated_at", "severity", "status", "kind"]

    @extend_schema(
        request=BreachResolveInputSerializer, responses={200: BreachSerializer, **_refusals("already_resolved.")}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Close the breach with a resolution and a sanction (officials); trust scores are refreshed after it."""
        breach = self.get_object()
        data = self.action_input(BreachResolveInputSerializer)
        breach = breaches.breach_resolve(
            breach=breach, user=request.user, resolution=data["resolution"], sanction=data["sanction"]
        )
        return Response(self.get_serializer(breach).data)


# --- Risks -----------------------------------------------------------------------------------


class RiskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Risk
        fields = [
            "id", "kind", "severity", "status", "community", "project", "organisation", "subject_key", "rule",
            "summary", "details", "raised_at", "updated_at", "closed_at",
        ]


class RiskAcknowledgeInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RiskCloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, help_text="What was found or done about the risk.")


class RiskFilter(FilterSet):
    community = IdFilter(help_text="Id of the community.")
    project = IdFilter(help_text="Id of the project.")
    kind = filters.ChoiceFilter(choices=RiskKind.choices)
    status = filters.ChoiceFilter(choices=RiskStatus.choices)
    severity = filters.ChoiceFilter(choices=Severity.choices)
    raised_at = filters.DateFromToRangeFilter(help_text="raised_at_after / raised_at_before (YYYY-MM-DD).")

    class Meta:
        model = Risk
        fields = ["community", "project", "kind", "status", "severity", "raised_at"]


class RiskViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Risk red flags: the working material of the community's officials."""

    queryset = Risk.objects.all()
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    search_fields = ["summary", "subject_key"]
    ordering_fields = ["raised_at", "updated_at", "severity", "status", "kind"]

    @extend_schema(request=RiskAcknowledgeInputSerializer, responses={200: RiskSerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Say the risk has been seen and is being looked into (officials of its community)."""
        risk = self.get_object()
        data = self.action_input(RiskAcknowledgeInputSerializer)
        risk = risks.risk_acknowledge(risk=risk, user=request.user, note=data["note"])
        return Response(self.get_serializer(risk).data)

    @extend_schema(request=RiskCloseInputSerializer, responses={200: RiskSerializer, **_refusals("already_closed.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the risk, saying what was found or done (officials); a rule may raise it again later."""
        risk = self.get_object()
        data = self.action_input(RiskCloseInputSerializer)
        risk = risks.risk_close(risk=risk, user=request.user, note=data["note"])
        return Response(self.get_serializer(risk).data)


# --- Supervision reports ---------------------------------------------------------------------


class SupervisionReportSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = SupervisionReport
        fields = [
            "id", "community", "community_name", "period_kind", "period_start", "period_end", "generated_at", "data",
        ]


class SupervisionReportFilter(FilterSet):
    community = IdFilter(help_text="Id of the community.")
    period_kind = filters.ChoiceFilter(choices=PeriodKind.choices)
    period_start = filters.DateFromToRangeFilter(help_text="period_start_after / period_start_before (YYYY-MM-DD).")

    class Meta:
        model = SupervisionReport
        fields = ["community", "period_kind", "period_start"]


class SupervisionReportViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Weekly and monthly snapshots of each community's supervision figures, for its officials."""

    queryset = SupervisionReport.objects.select_related("community")
    serializer_class = SupervisionReportSerializer
    filterset_class = SupervisionReportFilter
    search_fields = ["community__name"]
    ordering_fields = ["period_start", "generated_at"]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Rows of section, figure, value."),
            404: REFUSALS[404],
        },
    )
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        """The report as a CSV file, the same as the admin's download."""
        report = self.get_object()
        response = HttpResponse(supervision_report_csv(report), content_type="text/csv; charset=utf-8")
        filename = f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


routes = [
    ("duties", DutyViewSet, "duty"),
    ("duty-completions", DutyCompletionViewSet, "duty-completion"),
    ("complaints", ComplaintViewSet, "complaint"),
    ("inspections", InspectionViewSet, "inspection"),
    ("inspection-templates", InspectionTemplateViewSet, "inspection-template"),
    ("breaches", BreachViewSet, "breach"),
    ("risks", RiskViewSet, "risk"),
    ("supervision-reports", SupervisionReportViewSet, "supervision-report"),
]
