"""REST resource of a person's own notifications: read them, mark one or all read."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import FilterSet
from notifications.kinds import kind_label, render_title
from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.services.reading import notification_mark_read, notifications_mark_all_read


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField(help_text="The kind in the caller's language.")
    title = serializers.SerializerMethodField(help_text="What happened, in the caller's language.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "params", "url", "created_at", "read_at"]
        read_only_fields = fields

    def get_kind_label(self, notification: Notification) -> str:
        return kind_label(notification.kind)

    def get_title(self, notification: Notification) -> str:
        return render_title(notification.kind, notification.params)


class NotificationFilter(FilterSet):
    kind = filters.CharFilter(help_text="The kind's code, e.g. complaint_answered.")
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="true: only unread ones.")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications, newest first; another person's is a 404."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return notifications_of(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark the notification read (its first reading time stays)."""
        notification = self.get_object()
        notification = notification_mark_read(user=request.user, notification_id=notification.pk)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("ReadAll", {"marked_read": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification of the caller read."""
        return Response({"marked_read": notifications_mark_all_read(user=request.user)})


routes = [
    ("notifications", NotificationViewSet, "notification"),
]
