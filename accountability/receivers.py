"""Receivers of coproduction's domain events: the risk rules that follow an award or a report.

They run inside the sender's transaction, so a failing rule rolls the award or the report back
with it rather than leaving an action without its red flag.
"""
from django.dispatch import receiver

from coproduction.signals import call_awarded, report_submitted

from .risks import financial_unsustainability_for, rent_seeking_on_award


@receiver(call_awarded, dispatch_uid="accountability.rent_seeking_on_award")
def flag_rent_seeking(sender, *, call, **kwargs) -> None:
    rent_seeking_on_award(call)


@receiver(report_submitted, dispatch_uid="accountability.financial_unsustainability_for")
def flag_financial_unsustainability(sender, *, report, **kwargs) -> None:
    financial_unsustainability_for(report.project, report.organisation)
