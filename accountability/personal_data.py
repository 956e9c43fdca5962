"""What the accountability app holds about a resident: their complaints, as a section of the
resident's data export, and the removal of their complaints' photos, which accountability/receivers.py
gives in answer to partners' `resident_data_requested` and `resident_removing` signals.

The complaints themselves stay on a removal, pointing at the anonymised resident row."""

from django.db import transaction
from django.db.models import F

from accountability.models import Complaint
from partners.models import Resident


def complaints_of(resident: Resident) -> list[dict]:
    """The complaint and its answer; who answered is the organisation's business, not the resident's data."""
    rows = (
        Complaint.objects.filter(resident=resident)
        .order_by("filed_at", "pk")
        .values(
            "id",
            "subject",
            "body",
            "status",
            "filed_at",
            "response_due_at",
            "response",
            "responded_at",
            "closed_at",
            "photo",
            project_name=F("project__name"),
            routed_to_name=F("routed_to__name"),
        )
    )
    # Whether a photo was sent, not where it is stored: the file is served only through the pages.
    return [{**row, "photo": bool(row["photo"])} for row in rows]


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
