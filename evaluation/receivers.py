"""Receivers of the service list's domain events: the indicators that follow an item to its new version.

They run inside the sender's transaction, so a failing copy rolls the new version back with it
rather than leaving a version that nothing can be evaluated against.
"""
from django.dispatch import receiver

from services.signals import list_item_version_created

from .indicators import indicators_copy_to_new_version


@receiver(list_item_version_created, dispatch_uid="evaluation.indicators_copy_to_new_version")
def copy_indicators_to_new_version(sender, *, item, previous, user=None, **kwargs) -> None:
    indicators_copy_to_new_version(previous=previous, item=item, user=user)
