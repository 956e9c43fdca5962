"""The sign-in lockout app (django-axes) under a name in the reader's language, for the admin's index."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LockoutsConfig(AxesConfig):
    # django-axes names itself by its label ("Axes"), which no catalogue translates.
    verbose_name = _("Sign-in lockouts")
