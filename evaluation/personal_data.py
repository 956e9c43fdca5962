"""What the evaluation app holds about a resident: their ratings, as a section of the resident's
data export, which evaluation/receivers.py gives in answer to partners' `resident_data_requested` signal.

A removal needs no step here: the ratings stay, pointing at the anonymised resident row, and keep
counting in the projects' satisfaction."""

from django.db.models import F

from evaluation.models import Rating
from partners.models import Resident


def ratings_of(resident: Resident) -> list[dict]:
    return list(
        Rating.objects.filter(resident=resident)
        .order_by("period", "pk")
        .values("id", "period", "score", "comment", "created_at", project_name=F("project__name"))
    )
