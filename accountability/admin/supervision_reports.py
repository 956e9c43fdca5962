"""Admin for supervision reports: the stored snapshots, each downloadable as CSV or printable."""

from csp.decorators import csp_update
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accountability.models import SupervisionReport
from accountability.services.supervision_reports import supervision_report_csv, supervision_report_html
from common.admin_workflows import ViewOnlyMixin


# Supervision reports are snapshots the periodic job stores; the admin shows them.
@admin.register(SupervisionReport)
class SupervisionReportAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Read-only snapshots, each downloadable as CSV or opened as a printable page."""

    list_display = ["community", "period_kind", "period_start", "period_end", "generated_at", "downloads"]
    list_filter = ["period_kind", "community__street__district"]
    list_select_related = ["community"]
    search_fields = ["community__name"]
    date_hierarchy = "period_start"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/csv/", view(self.download_csv), name="accountability_supervisionreport_csv"),
            # The printable page carries its own print CSS (and no script).
            path(
                "<int:pk>/print/",
                view(csp_update({"style-src": ["'unsafe-inline'"]})(self.printable)),
                name="accountability_supervisionreport_print",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("download"))
    def downloads(self, report):
        return format_html(
            '<a href="{}">CSV</a> · <a href="{}">{}</a>',
            reverse("admin:accountability_supervisionreport_csv", args=[report.pk]),
            reverse("admin:accountability_supervisionreport_print", args=[report.pk]),
            _("print"),
        )

    def _report(self, request, pk):
        report = get_object_or_404(SupervisionReport.objects.select_related("community"), pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def download_csv(self, request, pk):
        report = self._report(request, pk)
        response = HttpResponse(supervision_report_csv(report), content_type="text/csv; charset=utf-8")
        filename = f"supervision-{report.community.code}-{report.period_kind}-{report.period_start}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def printable(self, request, pk):
        return HttpResponse(supervision_report_html(self._report(request, pk)))
