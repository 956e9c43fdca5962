"""The coproduction app: projects and their lifecycle, selection, tasks and claims, service reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoproductionConfig(AppConfig):
    name = "coproduction"
    verbose_name = _("Coproduction")

    def ready(self):
        # Every reaction of this app to the lower apps' signals is connected in receivers.py.
        from coproduction import receivers  # noqa: F401
