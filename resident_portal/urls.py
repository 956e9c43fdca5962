"""Residents' pages under /me/."""
from django.urls import path

from . import views

app_name = "resident_portal"
urlpatterns = [
    path("", views.home, name="home"),
]
