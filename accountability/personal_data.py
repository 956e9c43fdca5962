"""What the accountability app holds about a resident: their complaints, as a section of the
resident's data export (partners.resident_export), registered in AccountabilityConfig.ready().

A removal needs no step here: the complaints stay, pointing at the anonymised resident row."""
from django.db.models import F

from partners.models import Resident
from partners.resident_export import export_section

from .models import Complaint


@export_section("complaints")
def complaints_of(resident: Resident) -> list[dict]:
    """The complaint and its answer; who answered is the organisation's business, not the resident's data."""
    return list(
        Complaint.objects.filter(resident=resident)
        .order_by("filed_at", "pk")
        .values(
            "id", "subject", "body", "status", "filed_at", "response_due_at", "response", "responded_at",
            "closed_at", project_name=F("project__name"), routed_to_name=F("routed_to__name"),
        )
    )
