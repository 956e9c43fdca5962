"""The accountability app: duties, supervision, breaches and risks."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability and supervision")

    def ready(self):
        # Every reaction of this app to the lower apps' signals is connected in receivers.py.
        # The supervision reports' Celery task is registered by importing its module (Celery
        # autodiscovers tasks.py only).
        from accountability import (  # noqa: F401
            receivers,
            supervision_tasks,
        )
