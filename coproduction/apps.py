from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoproductionConfig(AppConfig):
    name = "coproduction"
    verbose_name = _("Coproduction")

    def ready(self):
        # Registers this app's lifecycle guards, and its sections of a resident's data export and removal.
        from . import lifecycle, personal_data  # noqa: F401
