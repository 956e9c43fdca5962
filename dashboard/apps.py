"""Officials' pages: a dashboard per community, rolled up for a street or district, and the workflows."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("Officials' dashboard")
