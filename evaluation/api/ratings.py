"""Residents' monthly ratings of the projects they take part in."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from common.api import (
    MAX_ID,
    ActionInputMixin,
    AppendOnlyCursorPagination,
    ErrorSerializer,
    FilterSet,
    IdFilter,
    VisibleToMixin,
)
from common.scoping import visible_or_404
from coproduction.models import Project
from evaluation.api.base import BAD_INPUT, NOT_FOUND
from evaluation.models import Rating
from evaluation.services.ratings import rating_submit
from partners import roles
from partners.models import Resident
from partners.personal_data import contact_viewer_for

RATING_REFUSALS = {
    400: BAD_INPUT,
    403: OpenApiResponse(ErrorSerializer, description="Only residents rate projects."),
    404: NOT_FOUND,
    409: OpenApiResponse(ErrorSerializer, description="already_rated: the resident has rated this project this month."),
}


class RatingSerializer(serializers.ModelSerializer):
    """Who rated is shown only to those who may see the resident's details (officials of the
    community, the rater): the provider's staff read scores and comments without the names."""

    resident: "serializers.PrimaryKeyRelatedField[Resident]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    resident_name = serializers.CharField(source="resident.name", read_only=True, allow_null=True)

    class Meta:
        model = Rating
        fields = ["id", "project", "resident", "resident_name", "period", "score", "comment", "created_at"]

    def to_representation(self, rating: Rating) -> dict:
        data = super().to_representation(rating)
        if not contact_viewer_for(self.context["request"]).shows_resident_contact(rating.resident):
            data["resident"] = data["resident_name"] = None
        return data


class RatingInputSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of the project rated.")
    score = serializers.IntegerField(help_text="1 (very dissatisfied) to 5 (very satisfied).")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="A day of the month rated; today by default."
    )


class RatingFilter(FilterSet):
    community = IdFilter(field_name="project__community", help_text="Id of the project's community.")
    period = filters.DateFromToRangeFilter(help_text="period_after / period_before: months rated (YYYY-MM-DD).")

    class Meta:
        model = Rating
        fields = ["project", "community", "period", "score"]


class RatingViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Residents' monthly ratings: a resident sees their own, officials and the project's staff all."""

    queryset = Rating.objects.select_related("resident")
    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    pagination_class = AppendOnlyCursorPagination
    ordering_fields = ["id", "created_at"]

    @extend_schema(request=RatingInputSerializer, responses={201: RatingSerializer, **RATING_REFUSALS})
    def create(self, request):
        """Rate a project of your community, as the signed-in resident, once a month."""
        data = self.action_input(RatingInputSerializer)
        project = visible_or_404(Project.objects, request.user, pk=data.pop("project"))
        resident = roles.resident_of(request.user)
        if resident is None:
            raise PermissionDenied(_("Only residents may rate projects."))
        rating = rating_submit(project=project, resident=resident, **data)
        body = self.get_serializer(self.queryset.get(pk=rating.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


routes = [
    ("ratings", RatingViewSet, "rating"),
]
