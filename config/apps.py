"""The Django admin as the project installs it: every app's admin, then the pages the project composes."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin, which also registers the pages that combine several apps' inlines (config/admin.py)."""

    def ready(self):
        super().ready()  # Imports each installed app's admin module, which registers that app's own pages.
        from config.admin import composed_admins_register

        composed_admins_register(admin.site)
