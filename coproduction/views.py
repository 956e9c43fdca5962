"""Pages of the project package itself: the landing page and the health check."""
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from partners.models import Community


def home(request):
    communities = Community.objects.select_related("street__district")
    return render(request, "home.html", {"communities": communities})


def healthz(request):
    """For load balancers and compose healthchecks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
