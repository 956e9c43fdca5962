"""The notifications app: what reaches people, in the app and by e-mail, and their preferences."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every reaction of this app to the lower apps' signals is connected in receivers.py.
        from notifications import receivers  # noqa: F401
