"""Partner organisations' pages under /portal/."""
from django.urls import path

from . import views

app_name = "partner_portal"
urlpatterns = [
    path("", views.home, name="home"),
]
