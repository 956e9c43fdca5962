"""The append-only audit log: every create, change and transition of a domain record."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.scoping import ScopedQuerySet


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        """Administrators read the log; nobody else does, whatever their role: the entries hold
        every record's before and after, personal data included."""
        return self.none()

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    TRANSITION = "transition", _("Transition")
    DELETE = "delete", _("Deleted")
    VIEW_PERSONAL_DATA = "view_personal_data", _("Viewed personal data")
    ANONYMISE = "anonymise", _("Anonymised")


class AuditEntry(models.Model):
    """Who did what to which record, when, with the record before and after.

    The application only ever inserts; the database refuses updates (and, on PostgreSQL,
    deletes) with a trigger installed by this app's migration.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the platform's own jobs."),
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    # No index of its own: audit_object (content_type, object_id) serves lookups by content type too,
    # and one index fewer to write matters to the jobs, which add entries by the thousand. No
    # constraint in the database either (db_constraint=False): checking every new entry's content
    # type at commit cost the accountability job a tenth of its time. The platform writes these
    # ids from ContentType.objects.get_for_model() alone, and Django still enforces PROTECT when a
    # content type is deleted.
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("record type"),
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
