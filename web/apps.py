"""The web shell: base template, sign-in pages, role home, language switch, shared page helpers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "web"
    verbose_name = _("Web pages")

    def ready(self):
        from common.bounds import bound_form_fields

        # Before any page's form is built: every form field of every app is held to the bounds.
        bound_form_fields()
