"""Documented refusals shared by the coproduction app's endpoints."""

from drf_spectacular.utils import OpenApiResponse

from common.api import ErrorSerializer

REFUSALS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused by a rule, e.g. the project is not in operation."),
    403: OpenApiResponse(ErrorSerializer, description="The caller may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such record among those the caller may see."),
}
