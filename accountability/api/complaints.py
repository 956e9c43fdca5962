"""Complaints: filed by residents, answered, confirmed, reopened, rerouted, extended and closed."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accountability.api.base import TargetProjectField, refusals, resident_or_refuse
from accountability.models import Complaint, ComplaintStatus, Duty
from accountability.services import complaints
from common.api import ActionInputMixin, FilterSet, IdFilter, VisibleRelatedField, VisibleToMixin
from common.bounds import column_length
from partners.models import Organisation
from partners.personal_data import contact_viewer_for, mask_name


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
            "id",
            "project",
            "community",
            "duty",
            "resident",
            "resident_name",
            "resident_phone",
            "routed_to",
            "routed_to_name",
            "answered_by_officials",
            "subject",
            "body",
            "status",
            "filed_at",
            "response_due_at",
            "deadline_extended_at",
            "response",
            "responded_at",
            "responded_by",
            "closed_at",
            "closed_by",
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
        queryset=Duty.objects.select_related("accountable__organisation"),
        required=False,
        allow_null=True,
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

    @extend_schema(request=ComplaintFileInputSerializer, responses={201: ComplaintSerializer, **refusals()})
    def create(self, request):
        """File a complaint about a running project as the signed-in resident; it is routed with a deadline."""
        resident = resident_or_refuse(request, _("Only residents may file complaints."))
        data = self.action_input(ComplaintFileInputSerializer)
        complaint = complaints.complaint_file(
            project=data["project"],
            resident=resident,
            subject=data["subject"],
            body=data["body"],
            duty=data.get("duty"),
        )
        return self._complaint_response(complaint, status.HTTP_201_CREATED)

    @extend_schema(request=ComplaintAnswerInputSerializer, responses={200: ComplaintSerializer, **refusals()})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the complaint: staff of the organisation it was routed to, or an official of the community."""
        complaint = self.get_object()
        data = self.action_input(ComplaintAnswerInputSerializer)
        complaint = complaints.complaint_answer(complaint=complaint, user=request.user, response=data["response"])
        return self._complaint_response(complaint)

    @extend_schema(request=None, responses={200: ComplaintSerializer, **refusals()})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Accept the answer and close the complaint (the resident who filed it)."""
        complaint = self.get_object()
        resident = resident_or_refuse(request, _("Only the resident who filed the complaint may do this."))
        complaint = complaints.complaint_confirm(complaint=complaint, resident=resident)
        return self._complaint_response(complaint)

    @extend_schema(request=ComplaintReopenInputSerializer, responses={200: ComplaintSerializer, **refusals()})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reject the answer, saying why: the complaint must be answered again within a new deadline."""
        complaint = self.get_object()
        resident = resident_or_refuse(request, _("Only the resident who filed the complaint may do this."))
        data = self.action_input(ComplaintReopenInputSerializer)
        complaint = complaints.complaint_reopen(complaint=complaint, resident=resident, reason=data["reason"])
        return self._complaint_response(complaint)

    @extend_schema(request=ComplaintRerouteInputSerializer, responses={200: ComplaintSerializer, **refusals()})
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
        responses={200: ComplaintSerializer, **refusals("already_extended: the deadline was extended once already.")},
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
        responses={200: ComplaintSerializer, **refusals("already_closed: the complaint is closed already.")},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the complaint with a note (an official)."""
        complaint = self.get_object()
        data = self.action_input(ComplaintCloseInputSerializer)
        complaint = complaints.complaint_close(complaint=complaint, user=request.user, note=data["note"])
        return self._complaint_response(complaint)


routes = [
    ("complaints", ComplaintViewSet, "complaint"),
]
