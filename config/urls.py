"""The URL root: composes every app's pages, the REST API, its schema and docs, the admin and the health check."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accountability import api as accountability_api
from audit import api as audit_api
from common.api import Route
from common.api import not_found as api_not_found
from config import views
from coproduction import api as coproduction_api
from dashboard.api import CommunityDashboardView
from evaluation import api as evaluation_api
from jobs import api as jobs_api
from notifications import api as notifications_api
from notifications import views as notifications_views
from partners import api as partners_api
from service_list import api as services_api

admin.site.site_header = admin.site.site_title = _("Community service coproduction")

# One router for /api/v1/: each app's api.py lists its own (prefix, viewset, basename) routes.
api_router = DefaultRouter()
api_routes: list[Route] = [
    *audit_api.routes,
    *partners_api.routes,
    *jobs_api.routes,
    *services_api.routes,
    *coproduction_api.routes,
    *accountability_api.routes,
    *evaluation_api.routes,
    *notifications_api.routes,
]
for prefix, viewset, basename in api_routes:
    api_router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include("web.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("portal/", include("partner_portal.urls")),
    path("me/", include("resident_portal.urls")),
    path("public/", include("transparency.urls")),
    path("notifications/", include("notifications.urls")),
    # Django's language switch, which also remembers a signed-in person's choice for their mail.
    path("i18n/setlang/", notifications_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_router.urls)),
    path("api/v1/communities/<int:pk>/dashboard/", CommunityDashboardView.as_view(), name="community-dashboard"),
    # Any other /api/v1/ URL ending in a slash is answered in the API's error shape, not as a web page
    # (one without the slash is still redirected to it by APPEND_SLASH). [\s\S], not ".": a newline too.
    re_path(r"^api/v1/(?:[\s\S]*/)?$", api_not_found),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is fetched from the view itself (no inline script); both docs
    # pages style themselves from script, so only they allow inline styles (and ReDoc its search worker).
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-redoc",
    ),
]

# Whatever Django answers itself, it answers under /api/ in the API's error shape (config.views);
# a database that cannot be reached is a 503 there as on the pages (common.database_outage).
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
