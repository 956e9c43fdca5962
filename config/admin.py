"""The admin pages that combine several apps' inlines, composed and registered once, by the project.

A project's page shows its duties (accountability) and evaluations (evaluation); a service-list
item's page its evaluation indicators. The lower apps may not import the higher ones, and a higher
app registering the page again over a lower one's would make the final page depend on the order of
INSTALLED_APPS. So each app's admin defines its ModelAdmin and inlines and registers only what it
alone composes, and the project, above every app, registers these two pages here, from
config.apps.AdminConfig.ready() once every app's admin module is loaded.
"""

from django.contrib.admin import AdminSite

from accountability.admin import DutyInline
from coproduction import admin as coproduction_admin
from coproduction.admin import ServiceFormMixin
from coproduction.models import Project
from evaluation.admin import EvaluationInline, IndicatorInline
from service_list import admin as services_admin
from service_list.models import ServiceListItem


class ProjectAdmin(coproduction_admin.ProjectAdmin):
    inlines = [*coproduction_admin.ProjectAdmin.inlines, DutyInline, EvaluationInline]


# ServiceFormMixin: the indicators' formset writes through indicators_set() while it validates,
# and a page that comes back with errors must leave nothing written.
class ServiceListItemAdmin(ServiceFormMixin, services_admin.ServiceListItemAdmin):
    inlines = [*services_admin.ServiceListItemAdmin.inlines, IndicatorInline]


def composed_admins_register(site: AdminSite) -> None:
    site.register(Project, ProjectAdmin)
    site.register(ServiceListItem, ServiceListItemAdmin)
