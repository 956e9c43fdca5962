"""REST resource of residents' needs, and the officials' answer to each (POST needs/{id}/answer/).

The answer calls coproduction.services.needs.need_answer, the function the dashboard's answer page calls.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ActionInputMixin, ErrorSerializer, FilterSet, IdFilter, VisibleRelatedField, VisibleToMixin
from coproduction.api.responses import REFUSALS
from coproduction.models import Need, NeedStatus, Project
from coproduction.services.needs import ANSWERS, need_answer


class NeedSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True, allow_null=True)
    project_name = serializers.CharField(source="project.name", read_only=True, allow_null=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "community",
            "resident",
            "resident_name",
            "service_item",
            "title",
            "description",
            "status",
            "response",
            "project",
            "project_name",
            "responded_at",
            "created_at",
        ]


class NeedAnswerInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(value, NeedStatus(value).label) for value in ANSWERS],
        help_text="planned, declined or merged.",
    )
    response = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text="What is planned (required for planned), or why it is declined (required for declined).",
    )
    project = VisibleRelatedField(
        queryset=Project.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="For merged: id of the project of the need's community that will meet it.",
    )


class NeedFilter(FilterSet):
    community = IdFilter(help_text="Id of the community.")
    status = filters.ChoiceFilter(choices=NeedStatus.choices)
    project = IdFilter(help_text="Id of the project the need was merged into.")

    class Meta:
        model = Need
        fields = ["community", "status", "project"]


class NeedViewSet(ActionInputMixin, VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Residents' needs: the officials of the need's community, and the resident who expressed it."""

    queryset = Need.objects.select_related("resident", "project")
    serializer_class = NeedSerializer
    filterset_class = NeedFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "responded_at", "status"]

    @extend_schema(
        request=NeedAnswerInputSerializer,
        responses={
            200: NeedSerializer,
            **REFUSALS,
            409: OpenApiResponse(ErrorSerializer, description="already_answered: declined or merged."),
        },
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the need as an official of its community: planned, declined, or merged into a project."""
        need = self.get_object()
        data = self.action_input(NeedAnswerInputSerializer)
        need = need_answer(need=need, user=request.user, **data)
        return Response(self.get_serializer(self.queryset.get(pk=need.pk)).data)


routes = [
    ("needs", NeedViewSet, "need"),
]
