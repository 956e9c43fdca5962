"""What the accountability resources share: their documented refusals, the resident check, the target project."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse

from common.api import ErrorSerializer, ParentRelatedField
from coproduction.api.responses import REFUSALS
from coproduction.models import Project
from partners import roles


def refusals(conflict: str | None = None) -> dict:
    """The documented refusals of an action, with its 409 when a state conflict can refuse it."""
    if conflict is None:
        return REFUSALS
    return {**REFUSALS, 409: OpenApiResponse(ErrorSerializer, description=conflict)}


def resident_or_refuse(request, message: str):
    resident = roles.resident_of(request.user)
    if resident is None:
        raise PermissionDenied(message)
    return resident


class TargetProjectField(ParentRelatedField):
    """The project a new duty, complaint or inspection hangs from."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Project.objects.all(), **kwargs)
