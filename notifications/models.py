"""Notifications: what was said to whom, the e-mail outbox, each person's preferences and language."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One event told to one person; stored language-free (a kind's code and its params)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_unique_key and the unread index lead with recipient
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    # The idempotency key of the event: the same event notified twice is stored once.
    key = models.CharField(_("key"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        indexes = [
            # The bell's count on every page, and the list newest first.
            models.Index(
                fields=["recipient", "-created_at"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_new"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """The outbox: one notification to be sent on one channel, retried with backoff until it is sent.

    A failed delivery stays `failed` with its reason and next_attempt_at; the periodic send retries it
    until it has failed MAX_ATTEMPTS times.
    """

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # delivery_unique_channel leads with notification
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique_channel"),
        ]
        indexes = [
            # What the periodic send looks for: deliveries not yet sent, by when they are due.
            models.Index(fields=["next_attempt_at"], condition=~Q(status="sent"), name="delivery_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.notification_id}: {self.status}"


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


class Preference(models.Model):
    """How one person wants one kind by e-mail; no row means immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_index=False,  # preference_unique_kind leads with user
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


class UserLanguage(models.Model):
    """The language a person last chose, in which their mail is written."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_language",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("language for notifications")
        verbose_name_plural = _("languages for notifications")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class DigestMail(models.Model):
    """The outbox of daily digests: one mail per person and day, sent once, retried like a Delivery."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_digests",
        db_index=False,  # digest_unique_day leads with user
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_unique_day")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=~Q(status="sent"), name="digest_pending")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}: {self.status}"
