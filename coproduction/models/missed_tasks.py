"""Background work asked for while the broker was unreachable, kept until it can be sent again."""
import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


def task_fingerprint(task: str, kwargs: dict) -> str:
    """The same task with the same arguments gives the same fingerprint, whatever the order of the arguments."""
    text = json.dumps([task, kwargs], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class MissedTask(models.Model):
    """One task a request could not send to the broker; the catch-up sends it and deletes the row.

    Asking again for the same work while it waits adds no row (the fingerprint is unique), so
    the work is sent once however many requests asked for it during the outage.
    """

    task = models.CharField(_("task"), max_length=100)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("fingerprint"))
    missed_at = models.DateTimeField(_("missed at"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["missed_at", "pk"]
        verbose_name = _("missed task")
        verbose_name_plural = _("missed tasks")

    def __str__(self):
        return f"{self.task} {self.missed_at:%Y-%m-%d %H:%M}"
