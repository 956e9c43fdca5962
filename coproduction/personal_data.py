"""What the coproduction app holds about a resident (claims, check-ins, volunteer hours, needs): its
sections of the resident's data export and its part of an account removal, which coproduction/receivers.py
gives in answer to partners' `resident_data_requested` and `resident_removing` signals."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from coproduction.models import CheckIn, Claim, ClaimStatus, Need
from coproduction.services.claims import claim_release, volunteer_hours
from partners.models import Resident


def claims_of(resident: Resident) -> list[dict]:
    return list(
        Claim.objects.filter(resident=resident)
        .order_by("claimed_at", "pk")
        .values(
            "id",
            "status",
            "claimed_at",
            "ended_at",
            "last_checkin_on",
            task_code=F("task__code"),
            task_title=F("task__title"),
            project_name=F("task__project__name"),
        )
    )


def checkins_of(resident: Resident) -> list[dict]:
    """Only the resident's own visits: a shared task's other claimants never appear."""
    rows = (
        CheckIn.objects.filter(claim__resident=resident)
        .order_by("on", "pk")
        .values("id", "claim", "on", "note", "hours", "photo", "created_at", task_code=F("claim__task__code"))
    )
    # The photo itself is downloaded from the check-in's page; the export says which check-ins have one.
    return [{**row, "photo": bool(row["photo"])} for row in rows]


def hours_of(resident: Resident) -> Decimal:
    # One decimal place, as check-ins record hours, whatever the database's sum returns.
    return volunteer_hours(resident=resident).quantize(Decimal("0.1"))


def needs_of(resident: Resident) -> list[dict]:
    return list(
        Need.objects.filter(resident=resident)
        .order_by("created_at", "pk")
        .values(
            "id",
            "title",
            "description",
            "status",
            "response",
            "responded_at",
            "created_at",
            service_item_name=F("service_item__name"),
            project_name=F("project__name"),
        )
    )


def resident_sections(resident: Resident) -> dict:
    """This app's sections of the resident's data export, by name."""
    return {
        "claims": claims_of(resident),
        "check_ins": checkins_of(resident),
        "volunteer_hours": hours_of(resident),
        "needs": needs_of(resident),
    }


def release_claims_and_delete_photos(resident: Resident, user) -> dict[str, int]:
    """Active claims are released through claim_release(), so their places on the tasks free up;
    check-in photos are personal, so they are deleted, from storage once the removal commits (a
    rolled-back removal keeps them) and from the check-ins at once. The check-ins themselves stay."""
    active = Claim.objects.filter(resident=resident, status=ClaimStatus.ACTIVE).select_related("resident")
    released = [claim_release(claim=claim, user=user) for claim in active]
    with_photo = CheckIn.objects.filter(claim__resident=resident).exclude(photo="")
    names = list(with_photo.values_list("photo", flat=True))
    with_photo.update(photo="")
    storage = CheckIn._meta.get_field("photo").storage

    def delete_photos():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_photos)
    return {"claims_released": len(released), "photos_deleted": len(names)}
