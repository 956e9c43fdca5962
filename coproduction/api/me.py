"""The signed-in resident's own data: download all of it (GET me/data/), or remove the account (POST me/removal/).

Both call the domain functions the resident portal's "My data" page calls
(partners.selectors.resident_export.resident_data, partners.services.resident_removal.resident_remove).
"""

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ActionInputMixin, ErrorSerializer
from partners import roles
from partners.models import Resident
from partners.selectors.resident_export import resident_data
from partners.services.resident_removal import resident_remove


def _records(description: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.DictField(), help_text=description)


class ResidentDataSerializer(serializers.Serializer):
    """The shape of the export, for the schema; the data itself comes from resident_data()."""

    generated_at = serializers.DateTimeField()
    profile = serializers.DictField(help_text="Name, community, phone, building, unit, volunteer flag and account.")
    claims = _records("The resident's claims on tasks, with the task and project.")
    check_ins = _records("The resident's own check-ins (date, note, hours, whether a photo was taken).")
    volunteer_hours = serializers.DecimalField(max_digits=10, decimal_places=1)
    needs = _records("The needs the resident expressed, with the committee's response.")
    complaints = _records("The resident's complaints and their answers.")
    ratings = _records("The resident's ratings of projects.")


class RemovalInputSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text="Must be true: the removal cannot be undone.",
    )

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                gettext_lazy("Confirm that you want your account removed: this cannot be undone."), code="not_confirmed"
            )
        return value


class RemovalResultSerializer(serializers.Serializer):
    removed = serializers.BooleanField()
    message = serializers.CharField()


_not_a_resident = OpenApiResponse(ErrorSerializer, description="The caller is not a resident.")


def _own_resident(request, refusal: str) -> Resident:
    resident = roles.resident_of(request.user)
    if resident is None:
        raise PermissionDenied(refusal)
    return resident


class MeViewSet(ActionInputMixin, viewsets.ViewSet):
    """The signed-in resident's own personal data."""

    @extend_schema(responses={200: ResidentDataSerializer, 403: _not_a_resident})
    @action(detail=False, methods=["get"])
    def data(self, request):
        """Everything the platform holds about the signed-in resident, as one JSON document."""
        resident = _own_resident(request, _("Only residents have personal data to download here."))
        return Response(resident_data(resident=resident, user=request.user))

    @extend_schema(
        request=RemovalInputSerializer,
        responses={
            200: RemovalResultSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="not_confirmed, or not_only_resident: the account also acts as an official, for an "
                "organisation or in the admin, and only an administrator closes it.",
            ),
            403: _not_a_resident,
        },
    )
    @action(detail=False, methods=["post"])
    def removal(self, request):
        """Remove the signed-in resident's account: the login stops working, the name, phone and address
        are blanked, active claims are released and check-in photos deleted; ratings, check-ins and
        complaints stay, anonymised. The session ends with it."""
        # The role first: a caller who may not remove an account here is refused before the body is read.
        resident = _own_resident(
            request, _("Only residents remove their account here; an administrator closes other accounts.")
        )
        self.action_input(RemovalInputSerializer)
        resident_remove(resident=resident, user=request.user)
        logout(request._request)
        message = _("Your account is removed. Your ratings and check-ins stay, no longer linked to you.")
        return Response(RemovalResultSerializer({"removed": True, "message": message}).data)


routes = [("me", MeViewSet, "me")]
