"""The platform's URLs plus the ceiling: a bare Django JSON view, served only in the benchmark."""
from django.http import JsonResponse
from django.urls import path

from coproduction.urls import urlpatterns as platform_urlpatterns

CEILING_PATH = "bench/ceiling/"


def ceiling(request):
    """No database, no authentication, no serializer: what the framework and the server cost alone."""
    return JsonResponse({"count": 3, "results": [{"id": number, "name": f"item {number}"} for number in range(3)]})


urlpatterns = [path(CEILING_PATH, ceiling, name="bench-ceiling"), *platform_urlpatterns]
