"""Public pages under /public/: no login."""
from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.home, name="home"),
    path("communities/<slug:code>/", views.community, name="community"),
]
