"""The accountability app: duties, supervision, breaches and risks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability and supervision")

    def ready(self):
        # Every reaction of this app to the lower apps' signals is connected in receivers.py.
        from accountability import receivers  # noqa: F401
