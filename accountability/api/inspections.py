"""Inspections of a project, with their checklist and photos, and the checklist templates."""

import json

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accountability.api.base import TargetProjectField, refusals
from accountability.models import Inspection, InspectionPhoto, InspectionResult, InspectionTemplate
from accountability.services import inspections
from common.api import (
    ActionInputMixin,
    ErrorSerializer,
    FilterSet,
    IdFilter,
    ParentRelatedField,
    VisibleRelatedField,
    VisibleToMixin,
)
from common.bounds import BoundedJSONParser
from coproduction.api.reports import READ_REFUSALS, AnyAcceptNegotiation, downloads_documented
from coproduction.api.responses import REFUSALS
from partners.models import Community, Organisation, User
from service_list.models import ServiceListItem


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
            "inspection-photo",
            kwargs={"pk": photo.inspection_id, "photo_id": photo.pk},
            request=self.context.get("request"),
        )


class InspectionSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    inspector_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(source="inspector")
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "project",
            "community",
            "organisation",
            "organisation_name",
            "inspector",
            "inspector_name",
            "inspected_on",
            "checklist",
            "result",
            "notes",
            "photos",
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

    # The same field read from form text: the stubs expect the parent's list serializer here.
    checklist = ChecklistTextField(  # type: ignore[assignment]
        help_text='JSON text: [{"item": "Kitchen clean", "passed": true, "note": ""}]. The result follows from it.'
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
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
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": InspectionRecordInputSerializer,
            "multipart/form-data": InspectionRecordUploadSerializer,
        },
        responses={201: InspectionSerializer, **refusals()},
    )
    def create(self, request):
        """Record an inspection against a checklist (officials), with photos when sent as a multipart form;
        a failed one opens a breach at once."""
        multipart = (request.content_type or "").startswith("multipart/")
        data = self.action_input(InspectionRecordUploadSerializer if multipart else InspectionRecordInputSerializer)
        inspection = inspections.inspection_record(
            project=data["project"],
            organisation=data["organisation"],
            user=request.user,
            inspected_on=data["inspected_on"],
            checklist=data["checklist"],
            notes=data["notes"],
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
        detail=True,
        methods=["get"],
        url_path=r"photos/(?P<photo_id>[0-9]+)",
        url_name="photo",
        content_negotiation_class=AnyAcceptNegotiation,
        filter_backends=[],
        pagination_class=None,
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
    updated_by_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(source="updated_by")

    class Meta:
        model = InspectionTemplate
        fields = [
            "id",
            "service_item",
            "service_item_code",
            "service_item_name",
            "service_item_version",
            "items",
            "updated_at",
            "updated_by",
            "updated_by_name",
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
            service_item=data["service_item"],
            items=data["items"],
            user=request.user,
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
            service_item=template.service_item,
            items=data["items"],
            user=request.user,
            community_id=data["community"].pk,
        )
        return self._saved(template, created=False)


routes = [
    ("inspections", InspectionViewSet, "inspection"),
    ("inspection-templates", InspectionTemplateViewSet, "inspection-template"),
]
