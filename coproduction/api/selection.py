"""REST resources of selection: calls for partners with their criteria, applications and their reviews.

Every step calls the selection workflow of the pages (coproduction/services/selection.py): opening,
cancelling and awarding a call, declaring a conflict of interest, applying, withdrawing and
reviewing. Refusals that are conflicts with the record's state (a call already decided, a
second application, review or declaration) are answered 409 by common.api.
"""

from typing import Any, cast

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import (
    MAX_ID,
    ActionInputMixin,
    ErrorSerializer,
    FilterSet,
    IdFilter,
    VisibleRelatedField,
    VisibleToMixin,
)
from common.bounds import column_length
from common.scoping import visible_or_404
from coproduction.api.responses import REFUSALS
from coproduction.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    Project,
    Review,
    ReviewScore,
)
from coproduction.services import selection
from partners.models import Organisation
from partners.personal_data import contact_viewer_for

CALL_DECIDED = "call_decided: the call is already awarded or cancelled."
CALL_ALREADY_OPEN = "call_already_open: the project has a call open or under review; award or cancel it first."


def _refusals(conflict: str | None = None, *, created: bool = False) -> dict:
    """The documented refusals of an action; with its 409 when the record's state can refuse it."""
    refusals = dict(REFUSALS)
    if created:
        refusals[404] = OpenApiResponse(
            ErrorSerializer, description="The record named in the body is not among those the caller may see."
        )
    if conflict:
        refusals[409] = OpenApiResponse(ErrorSerializer, description=conflict)
    return refusals


# --- Serializers: calls ----------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight"]


class CallSerializer(serializers.ModelSerializer):
    """A call as a public notice, with the criteria applications are scored on and, once decided, the award."""

    community = serializers.IntegerField(source="project.community_id", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    service_item = serializers.IntegerField(source="project.service_item_id", read_only=True)
    service_item_name = serializers.CharField(source="project.service_item.name", read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "project",
            "project_name",
            "community",
            "service_item",
            "service_item_name",
            "title",
            "description",
            "deadline",
            "status",
            "min_reviewers",
            "opened_at",
            "criteria",
            "awarded_application",
            "award_reason",
            "awarded_at",
            "single_applicant",
            "against_ranking",
        ]


class ConflictDeclarationSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ConflictDeclaration
        fields = ["id", "reviewer", "organisation", "organisation_name", "call", "reason", "declared_at"]


class CriterionInput(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=column_length(Criterion, "name"))
    weight = serializers.IntegerField(help_text="1 to 100; the weights of a call add up to exactly 100.")
    description = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=column_length(Criterion, "description")
    )


class CallOpenInput(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of a project in the design stage.")
    title = serializers.CharField(allow_blank=True, max_length=column_length(Call, "title"))
    description = serializers.CharField(allow_blank=True, required=False, default="")
    deadline = serializers.DateTimeField(
        help_text="When applications close: at least CALL_MIN_APPLICATION_DAYS (7 by default) days ahead."
    )
    criteria = CriterionInput(many=True, help_text="What applications are scored on, weights adding up to 100.")
    min_reviewers = serializers.IntegerField(
        required=False, default=selection.MIN_REVIEWERS, help_text="Reviews needed per application; 2 at least."
    )


class CallCancelInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the call is cancelled; required.")


class CallAwardInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why this application wins; required.")
    application = serializers.PrimaryKeyRelatedField(
        queryset=Application.objects.all(), help_text="Id of the winning application, one made to this call."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this call's applications can win; any other id reads as "does not exist", whoever's it is.
        if call := self.context.get("call"):
            self.fields["application"].queryset = call.applications.all()


class ConflictDeclareInput(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        max_length=column_length(ConflictDeclaration, "reason"),
        help_text="What the interest is; required.",
    )
    organisation = VisibleRelatedField(
        queryset=Organisation.objects.all(), help_text="The organisation the caller has an interest in."
    )


# --- Serializers: applications and reviews ---------------------------------------------------


class ReviewScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "criterion_name", "score"]


class ReviewSerializer(serializers.ModelSerializer):
    scores = ReviewScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "application", "reviewer", "total", "comment", "submitted_at", "scores"]


class ApplicationAttachmentSerializer(serializers.ModelSerializer):
    """A file sent with the application: its label and its type as read from the bytes."""

    class Meta:
        model = ApplicationAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="call.project.community_id", read_only=True)
    call_title = serializers.CharField(source="call.title", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    attachments = ApplicationAttachmentSerializer(many=True, read_only=True)
    reviews = serializers.SerializerMethodField(
        help_text="In the detail only, for the officials of the call's community who review it; null otherwise."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "call_title",
            "community",
            "organisation",
            "organisation_name",
            "status",
            "proposal",
            "proposed_budget",
            "submitted_at",
            "attachments",
            "reviews",
        ]

    @extend_schema_field(ReviewSerializer(many=True, allow_null=True))
    def get_reviews(self, application: Application) -> list[dict[str, Any]] | None:
        if not self.context.get("with_reviews"):
            return None
        disclosure = contact_viewer_for(self.context["request"])
        if not (disclosure.administrator or application.call.project.community_id in disclosure.official_communities):
            return None
        # many=True makes a ListSerializer, whose data is a list; the stubs type it as a Serializer's dict.
        return cast(list[dict[str, Any]], ReviewSerializer(application.reviews.all(), many=True).data)


class ApplicationSubmitInput(serializers.Serializer):
    call = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of an open call.")
    organisation = VisibleRelatedField(queryset=Organisation.objects.all(), help_text="The applying organisation.")
    proposal = serializers.CharField(allow_blank=True, help_text="How the organisation would deliver the service.")
    proposed_budget = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="In yuan.")
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Zero or more files (multipart): PDF, PNG, JPEG, Word .docx, Excel .xlsx; types read from the bytes.",
    )


class ReviewInput(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text="A score from 0 to 100 per criterion, keyed by the criterion's id."
    )
    comment = serializers.CharField(allow_blank=True, required=False, default="")


# --- Filters ---------------------------------------------------------------------------------


class CallFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    service_item = IdFilter(field_name="project__service_item", help_text="Id of the service-list item.")
    status = filters.ChoiceFilter(choices=CallStatus.choices)
    deadline = filters.IsoDateTimeFromToRangeFilter(help_text="deadline_after / deadline_before (ISO 8601).")

    class Meta:
        model = Call
        fields = ["project", "community", "service_item", "status", "deadline", "single_applicant", "against_ranking"]


class ApplicationFilter(FilterSet):
    community = IdFilter(field_name="call__project__community", help_text="Id of the call's community.")
    project = IdFilter(field_name="call__project", help_text="Id of the call's project.")
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices)
    submitted_at = filters.IsoDateTimeFromToRangeFilter(
        help_text="submitted_at_after / submitted_at_before (ISO 8601)."
    )

    class Meta:
        model = Application
        fields = ["call", "project", "community", "organisation", "status", "submitted_at"]


# --- Viewsets --------------------------------------------------------------------------------


class CallViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Calls for partners: officials and residents see their communities' calls; organisations see
    every open call and those they applied to."""

    queryset = Call.objects.select_related("project__service_item").prefetch_related("criteria")
    serializer_class = CallSerializer
    filterset_class = CallFilter
    search_fields = ["title", "description", "project__name"]
    ordering_fields = ["deadline", "opened_at", "title", "status", "awarded_at"]

    def _read(self, call: Call, *, status_code=status.HTTP_200_OK) -> Response:
        return Response(CallSerializer(self.queryset.get(pk=call.pk)).data, status=status_code)

    @extend_schema(
        request=CallOpenInput,
        responses={201: CallSerializer, **_refusals(CALL_ALREADY_OPEN, created=True)},
    )
    def create(self, request):
        """Open a call for partners on a design-stage project whose service-list item is published
        (officials of its community), with the weighted criteria reviews will score; one call per
        project is under way at a time, and the deadline leaves organisations the minimum days to apply."""
        data = self.action_input(CallOpenInput)
        project = visible_or_404(Project.objects.all(), request.user, pk=data.pop("project"))
        call = selection.call_open(project=project, user=request.user, **data)
        return self._read(call, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=CallCancelInput, responses={200: CallSerializer, **_refusals(CALL_DECIDED)})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a call not yet decided, with the reason; its applications are not awarded."""
        call = self.get_object()
        data = self.action_input(CallCancelInput)
        return self._read(selection.call_cancel(call=call, user=request.user, reason=data["reason"]))

    @extend_schema(request=CallAwardInput, responses={200: CallSerializer, **_refusals(CALL_DECIDED)})
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        """Award the call to one application, with the reason, once every application has its reviews;
        the winner joins the project as a provider and red flags (single applicant, against the
        ranking) are recorded."""
        call = self.get_object()
        data = self.action_input(CallAwardInput, call=call)
        awarded = selection.call_award(
            call=call, application=data["application"], user=request.user, reason=data["reason"]
        )
        return self._read(awarded)

    @extend_schema(
        request=ConflictDeclareInput,
        responses={201: ConflictDeclarationSerializer, **_refusals("already_declared: for this call or every call.")},
    )
    @action(detail=True, methods=["post"], url_path="declare-conflict")
    def declare_conflict(self, request, pk=None):
        """Declare, as the signed-in reviewer, an interest in an organisation for this call: it bars
        the caller from reviewing that organisation's application."""
        call = self.get_object()
        data = self.action_input(ConflictDeclareInput)
        conflict = selection.conflict_declare(
            reviewer=request.user, organisation=data["organisation"], reason=data["reason"], call=call
        )
        return Response(ConflictDeclarationSerializer(conflict).data, status=status.HTTP_201_CREATED)


def _scores_in_criteria_order() -> Prefetch:
    """A review's scores in the order of the call's criteria: heaviest first, as the call lists them."""
    scores = ReviewScore.objects.select_related("criterion").order_by("-criterion__weight", "criterion__name")
    return Prefetch("scores", scores)


class ApplicationViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Applications: each organisation sees its own; officials of the call's community see (and review) all."""

    queryset = Application.objects.select_related("organisation", "call__project").prefetch_related("attachments")
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["organisation__name", "call__title", "proposal"]
    ordering_fields = ["submitted_at", "proposed_budget", "status"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            reviews = Review.objects.order_by("submitted_at", "pk").prefetch_related(_scores_in_criteria_order())
            queryset = queryset.prefetch_related(Prefetch("reviews", reviews))
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_reviews": self.action == "retrieve"}

    def _read(self, application: Application, *, status_code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.queryset.get(pk=application.pk)).data, status=status_code)

    @extend_schema(
        request=ApplicationSubmitInput,
        responses={201: ApplicationSerializer, **_refusals("already_applied: once per call.", created=True)},
    )
    def create(self, request):
        """Apply to an open call before its deadline, as a manager of an approved organisation of a
        kind the service-list item allows; once per call."""
        data = self.action_input(ApplicationSubmitInput)
        call = visible_or_404(Call.objects.all(), request.user, pk=data.pop("call"))
        application = selection.application_submit(call=call, user=request.user, **data)
        return self._read(application, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            200: ApplicationSerializer,
            **_refusals("not_submitted: only a submitted application is withdrawn."),
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the application before the deadline (a manager of the organisation); it cannot be
        made again to this call."""
        application = selection.application_withdraw(application=self.get_object(), user=request.user)
        return self._read(application)

    @extend_schema(
        request=ReviewInput,
        responses={201: ReviewSerializer, **_refusals(f"already_reviewed: once per reviewer; {CALL_DECIDED}")},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Score the application on every criterion of its call, after the deadline (officials of the
        call's community who neither work for the applicant nor declared a conflict with it)."""
        application = self.get_object()
        data = self.action_input(ReviewInput)
        review = selection.review_submit(
            application=application, reviewer=request.user, scores=data["scores"], comment=data["comment"]
        )
        review = Review.objects.prefetch_related(_scores_in_criteria_order()).get(pk=review.pk)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


routes = [
    ("calls", CallViewSet, "call"),
    ("applications", ApplicationViewSet, "application"),
]
