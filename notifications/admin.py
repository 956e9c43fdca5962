"""The notifications in the Django admin: read-only records, for an administrator to see what was sent or failed."""

from django.contrib import admin

from notifications.models import Delivery, DigestMail, Notification, Preference, UserLanguage


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["notification__recipient__username", "last_error"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification"]


@admin.register(DigestMail)
class DigestMailAdmin(ReadOnlyAdmin):
    list_display = ["user", "day", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(UserLanguage)
class UserLanguageAdmin(ReadOnlyAdmin):
    list_display = ["user", "language", "updated_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
