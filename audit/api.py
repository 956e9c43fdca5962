"""REST resource of the audit log: read-only, for administrators.

Everyone else gets an empty list (and a 404 for an entry), as for any record they may not see:
`AuditEntry.objects.visible_to(user)` holds the rule, the same one for every interface.
"""

from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from audit.models import AuditAction, AuditEntry
from common.api import AppendOnlyCursorPagination, FilterSet, IdFilter, VisibleToMixin

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

CONTENT_TYPE_LABEL = RegexValidator(
    r"^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$", message=_("Give the record type as app_label.model, e.g. evaluation.rating.")
)


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name: "serializers.StringRelatedField[AbstractBaseUser]" = serializers.StringRelatedField(
        source="actor", allow_null=True, help_text="Empty for the platform's own jobs."
    )
    content_type = serializers.SerializerMethodField(help_text="The record's type as app_label.model.")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "note",
        ]

    @extend_schema_field(serializers.CharField())
    def get_content_type(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


class AuditEntryFilter(FilterSet):
    action = filters.ChoiceFilter(choices=AuditAction.choices)
    content_type = filters.CharFilter(
        method="filter_content_type",
        validators=[CONTENT_TYPE_LABEL],
        help_text="The record's type as app_label.model, e.g. evaluation.rating.",
    )
    actor = IdFilter(field_name="actor", help_text="Id of the user who acted.")
    at = filters.IsoDateTimeFromToRangeFilter(help_text="at_after / at_before (ISO 8601 date-times).")

    class Meta:
        model = AuditEntry
        fields = ["action", "content_type", "object_id", "actor", "at"]

    def filter_content_type(self, queryset, name, value):
        app_label, model = value.lower().split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditEntryViewSet(VisibleToMixin, viewsets.ReadOnlyModelViewSet):
    """Who did what to which record, when, with the record before and after.

    Administrators only: for anyone else the list is empty and an entry is a 404.
    """

    queryset = AuditEntry.objects.select_related("actor", "content_type")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    pagination_class = AppendOnlyCursorPagination
    search_fields = ["object_repr", "note"]
    ordering_fields = ["id", "at"]


routes = [("audit-entries", AuditEntryViewSet, "audit-entry")]
