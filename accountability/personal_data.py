"""What the accountability app holds about a resident: their complaints, as a section of the
resident's data export (partners.resident_export), and the removal of their complaints' photos
(partners.resident_removal), both registered in AccountabilityConfig.ready().

The complaints themselves stay on a removal, pointing at the anonymised resident row."""
from django.db import transaction
from django.db.models import F

from partners.models import Resident
from partners.resident_export import export_section
from partners.resident_removal import removal_step

from .models import Complaint


@export_section("complaints")
def complaints_of(resident: Resident) -> list[dict]:
    """The complaint and its answer; who answered is the organisation's business, not the resident's data."""
    rows = (
        Complaint.objects.filter(resident=resident)
        .order_by("filed_at", "pk")
        .values(
            "id", "subject", "body", "status", "filed_at", "response_due_at", "response", "responded_at",
            "closed_at", "photo", project_name=F("project__name"), routed_to_name=F("routed_to__name"),
        )
    )
    # Whether a photo was sent, not where it is stored: the file is served only through the pages.
    return [{**row, "photo": bool(row["photo"])} for row in rows]


@removal_step
def delete_complaint_photos(resident: Resident, user) -> dict[str, int]:
    """A complaint's photo may show the resident or their home, so it goes with the account: from the
    complaints at once, from storage once the removal commits (a rolled-back removal keeps them)."""
    with_photo = Complaint.objects.filter(resident=resident).exclude(photo="")
    names = list(with_photo.values_list("photo", flat=True))
    with_photo.update(photo="")
    storage = Complaint._meta.get_field("photo").storage

    def delete_photos():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_photos)
    return {"complaint_photos_deleted": len(names)}
