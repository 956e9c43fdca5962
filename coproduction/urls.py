"""The URL root: composes every app's pages, the admin and the health check."""
from django.contrib import admin
from django.urls import path

from . import views

admin.site.site_header = admin.site.site_title = "Community service coproduction"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
