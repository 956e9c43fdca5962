"""What the evaluation resources share: their documented refusals."""

from drf_spectacular.utils import OpenApiResponse

from common.api import ErrorSerializer

BAD_INPUT = OpenApiResponse(ErrorSerializer, description="Bad input or refused by a rule; field errors name the field.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such record among those the caller may see.")
