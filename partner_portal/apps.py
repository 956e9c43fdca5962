"""Pages for the staff of partner organisations (NGOs and enterprises)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partner_portal"
    verbose_name = _("Partner portal")
