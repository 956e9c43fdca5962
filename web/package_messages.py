"""Labels of installed packages that ship no Simplified Chinese catalogue, marked so that the catalogue keeps them.

Django looks a message up in every catalogue, ours included, so translating these here puts the
admin's sign-in lockout pages (django-axes) and the admin's sidebar headers into Chinese. Nothing
imports this module: makemessages reads it.
"""

from django.utils.translation import gettext_noop

# django-axes: its models' fields and names, and its admin's fieldsets, filter and action.
AXES = (
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Logout Time"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Expires At"),
)

# Django's admin sidebar: headers read out by screen readers, not yet in Django's Chinese catalogue.
ADMIN_SIDEBAR = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))

# django-celery-beat: its admin's fieldsets and help texts its own Chinese catalogue leaves in English.
CELERY_BEAT = (
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    gettext_noop('Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. (Example: "0,5")'),
)

# django-axes: the model its newer versions add.
AXES_EXPIRATION = (gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"))
