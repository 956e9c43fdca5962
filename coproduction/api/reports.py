"""REST resources of service reports: submission with attachments, review, resubmission, and file download.

Writes call the domain functions of coproduction/services/reports.py (`report_submit`, `report_review`,
`report_withdraw`, `report_resubmit`), which check the figures, the period and the files (type read from the bytes,
size, count). Files are served back (coproduction/downloads.py, as the pages do) only to callers
who may see the report, under a name the platform chooses: neither the client's file name nor a
MEDIA_URL path ever leaves the server.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
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
from common.bounds import BoundedJSONParser
from coproduction.api.responses import REFUSALS
from coproduction.attachments import EXTENSIONS
from coproduction.downloads import attachment_download
from coproduction.models import Project, ReportAttachment, ReportEvent, ReportStatus, ServiceReport
from coproduction.services import reports
from partners.models import Organisation, User

# --- Serving stored files --------------------------------------------------------------------


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """A download answers whatever the Accept header asks; its errors are still JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


READ_REFUSALS = {code: REFUSALS[code] for code in (403, 404)}


def downloads_documented(description: str, content_types) -> dict:
    """The 200 response of a download, once per content type the platform may serve."""
    return {
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for content_type in content_types
    }


# --- Serializers -----------------------------------------------------------------------------


class ReportAttachmentSerializer(serializers.ModelSerializer):
    """A file of the report: its label, its checked type, and where to download it."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, attachment: ReportAttachment) -> str:
        return reverse(
            "service-report-attachment",
            kwargs={"pk": attachment.report_id, "attachment_id": attachment.pk},
            request=self.context.get("request"),
        )


class ReportEventSerializer(serializers.ModelSerializer):
    """One submission or review in the report's history, with the figures as they stood."""

    by_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(source="by")

    class Meta:
        model = ReportEvent
        fields = ["id", "kind", "revision", "by", "by_name", "at", "comment", "figures"]


class ServiceReportSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="project.community_id", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    balance = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text="Income plus subsidy minus cost: negative means the period ran at a loss.",
    )
    submitted_by_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(source="submitted_by")
    reviewed_by_name: "serializers.StringRelatedField[User]" = serializers.StringRelatedField(
        source="reviewed_by", allow_null=True
    )
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    events = ReportEventSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceReport
        fields = [
            "id",
            "project",
            "project_name",
            "community",
            "organisation",
            "organisation_name",
            "period_start",
            "period_end",
            "people_served",
            "service_units",
            "cost",
            "income",
            "subsidy",
            "balance",
            "narrative",
            "status",
            "revision",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "reviewed_by",
            "reviewed_by_name",
            "reviewed_at",
            "review_comment",
            "attachments",
            "events",
        ]


FILES_HELP = "Zero or more files (PDF, PNG, JPEG, Word .docx, Excel .xlsx); the type is read from the bytes."


class ReportFiguresSerializer(serializers.Serializer):
    """The figures and narrative of a report; the domain checks their values, this only their types."""

    people_served = serializers.IntegerField()
    service_units = serializers.IntegerField(help_text="e.g. meals served, visits made")
    cost = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Yuan.")
    income = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Yuan.")
    subsidy = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Yuan.")
    narrative = serializers.CharField(allow_blank=True, help_text="What was delivered in the period.")
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=FILES_HELP
    )


class ReportSubmitSerializer(ReportFiguresSerializer):
    project = ParentRelatedField(queryset=Project.objects.all())
    organisation = VisibleRelatedField(
        queryset=Organisation.objects.all(), help_text="The provider reporting; the caller must work for it."
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()


class ReportResubmitSerializer(ReportFiguresSerializer):
    """Corrections to a returned or withdrawn report: a value left out keeps its own; files are added."""

    period_start = serializers.DateField(help_text="A corrected start of the period; checked as on submission.")
    period_end = serializers.DateField(help_text="A corrected end of the period; checked as on submission.")

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


class ReportReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="True to accept the report; false to return it for changes.")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when returning the report: what must change.",
    )


# --- Filters ---------------------------------------------------------------------------------


class ServiceReportFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    project = IdFilter(field_name="project", help_text="Id of the project.")
    organisation = IdFilter(field_name="organisation", help_text="Id of the reporting organisation.")
    status = filters.ChoiceFilter(choices=ReportStatus.choices)
    period_start = filters.DateFromToRangeFilter(help_text="period_start_after / period_start_before (YYYY-MM-DD).")
    period_end = filters.DateFromToRangeFilter(help_text="period_end_after / period_end_before (YYYY-MM-DD).")
    submitted_at = filters.IsoDateTimeFromToRangeFilter(
        help_text="submitted_at_after / submitted_at_before (ISO 8601 date-time)."
    )

    class Meta:
        model = ServiceReport
        fields = ["community", "project", "organisation", "status", "period_start", "period_end", "submitted_at"]


# --- Viewsets --------------------------------------------------------------------------------

_submit_refusals = {
    **REFUSALS,
    400: OpenApiResponse(ErrorSerializer, description="Bad figures, period or files: every problem keyed by field."),
    403: OpenApiResponse(ErrorSerializer, description="The caller does not work for the organisation."),
    409: OpenApiResponse(ErrorSerializer, description="duplicate_period: the period was reported on already."),
}


class ServiceReportViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Service reports: officials of the project's community and the organisations taking part see them."""

    queryset = ServiceReport.objects.select_related(
        "project", "organisation", "submitted_by", "reviewed_by"
    ).prefetch_related("attachments", "events__by")
    serializer_class = ServiceReportSerializer
    filterset_class = ServiceReportFilter
    # Submission and resubmission carry files; the review is a small JSON body (see its action).
    parser_classes = [MultiPartParser]
    search_fields = ["narrative"]
    ordering_fields = ["period_start", "period_end", "submitted_at", "status", "people_served", "cost"]

    def _shown(self, report: ServiceReport) -> dict:
        """The report as the write returned it, with its files and history read in (two queries).

        The write's report already holds its project, organisation and the people it names, or
        reads the one it lacks on first use; reading the whole report again would cost four.
        """
        prefetch_related_objects([report], "attachments", Prefetch("events", ReportEvent.objects.select_related("by")))
        return self.get_serializer(report).data

    @extend_schema(request=ReportSubmitSerializer, responses={201: ServiceReportSerializer, **_submit_refusals})
    def create(self, request):
        """Submit a period's report for an organisation the caller works for, with its files (multipart)."""
        report = reports.report_submit(user=request.user, **self.action_input(ReportSubmitSerializer))
        return Response(self._shown(report), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportReviewSerializer,
        responses={
            200: ServiceReportSerializer,
            **REFUSALS,
            409: OpenApiResponse(ErrorSerializer, description="not_submitted: the report has been reviewed already."),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[BoundedJSONParser, FormParser, MultiPartParser])
    def review(self, request, pk=None):
        """Accept the report, or return it with a comment saying what must change (officials of its community)."""
        report = self.get_object()
        report = reports.report_review(report=report, user=request.user, **self.action_input(ReportReviewSerializer))
        return Response(self._shown(report))

    @extend_schema(request=ReportResubmitSerializer, responses={200: ServiceReportSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Answer a returned or withdrawn report: corrected period, figures, narrative, more files (multipart)."""
        report = self.get_object()
        given = self.action_input(ReportResubmitSerializer)
        report = reports.report_resubmit(report=report, user=request.user, **given)
        return Response(self._shown(report))

    @extend_schema(
        request=None,
        responses={
            200: ServiceReportSerializer,
            **REFUSALS,
            409: OpenApiResponse(ErrorSerializer, description="not_submitted: the report has been reviewed already."),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[BoundedJSONParser, FormParser, MultiPartParser])
    def withdraw(self, request, pk=None):
        """Take a submitted report back before review (its submitter or a manager); resubmit it when corrected."""
        report = reports.report_withdraw(report=self.get_object(), user=request.user)
        return Response(self._shown(report))

    @extend_schema(
        request=None,
        responses={
            **downloads_documented("The file, as an attachment named report-<id>-<attachment id>.<ext>.", EXTENSIONS),
            **READ_REFUSALS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        content_negotiation_class=AnyAcceptNegotiation,
        filter_backends=[],
        pagination_class=None,
    )
    def attachment(self, request, pk=None, attachment_id=None, format=None):
        """Download one file of the report, under a name the platform gives it."""
        if format is not None:
            # The router's format suffix (`.../attachments/3.pdf/`) names no file: the same 404 as any other.
            raise Http404
        report = self.get_object()
        return attachment_download(get_object_or_404(ReportAttachment.objects.filter(report=report), pk=attachment_id))


routes = [
    ("reports", ServiceReportViewSet, "service-report"),
]
