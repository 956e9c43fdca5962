"""Pages of the project package itself: the health check (the pages live in web and the page apps)."""
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """For load balancers and compose healthchecks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
