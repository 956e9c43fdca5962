"""Residents' pages, phone first: tasks to claim, check-ins, ratings, complaints, needs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resident_portal"
    verbose_name = _("Residents' portal")
