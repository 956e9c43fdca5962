"""Tasks of the project package. Domain jobs live in the tasks module of the app that owns the data."""
from celery import shared_task

from partners.models import Community


@shared_task(name="coproduction.ping")
def ping() -> dict:
    """Proves a worker is alive and reaches the database: used by health checks and tests."""
    return {"pong": True, "communities": Community.objects.count()}
