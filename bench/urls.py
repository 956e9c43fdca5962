"""The platform's URLs plus two references served only in the benchmark: the bare view (the
ceiling) and the same answer from a DRF view that authenticates its caller's token."""

from django.http import JsonResponse
from django.urls import path
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as platform_urlpatterns

CEILING_PATH = "bench/ceiling/"
TOKEN_ONLY_PATH = "bench/token-only/"


def _payload() -> dict:
    return {"count": 3, "results": [{"id": number, "name": f"item {number}"} for number in range(3)]}


def ceiling(request):
    """No database, no authentication, no serializer: what the framework and the server cost alone."""
    return JsonResponse(_payload())


class TokenOnly(APIView):
    """What any API view of the platform pays before its own work: DRF and the token's lookup
    (no throttle, no query of its own)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = []

    def get(self, request):
        return Response(_payload())


urlpatterns = [
    path(CEILING_PATH, ceiling, name="bench-ceiling"),
    path(TOKEN_ONLY_PATH, TokenOnly.as_view(), name="bench-token-only"),
    *platform_urlpatterns,
]
