"""Every reaction of the coproduction app to the lower apps' signals, connected by CoproductionConfig.ready().

- partners' resident data: the resident's claims, check-ins, volunteer hours and needs in their
  data export; and, when the account is removed, their active claims released (freeing the places
  on the tasks) and their check-in photos erased, in the removal's transaction.
"""

from django.dispatch import receiver

from coproduction.personal_data import release_claims_and_delete_photos, resident_sections
from partners.signals import resident_data_requested, resident_removing


@receiver(resident_data_requested, dispatch_uid="coproduction.resident_data")
def export_resident_records(sender, *, resident, **kwargs) -> dict:
    return resident_sections(resident)


@receiver(resident_removing, dispatch_uid="coproduction.resident_removing")
def release_resident_records(sender, *, resident, by, **kwargs) -> dict[str, int]:
    return release_claims_and_delete_photos(resident, by)
