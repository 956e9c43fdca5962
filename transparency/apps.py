"""Public pages, no login: who delivers what in each community, for how much, and how well."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transparency"
    verbose_name = _("Public transparency")
