"""Public pages under /public/: no login."""

from django.urls import path, re_path

from transparency import views

app_name = "transparency"
urlpatterns = [
    path("", views.home, name="home"),
    path("communities/<slug:code>/", views.community, name="community"),
    path("communities/<slug:code>/projects/<int:pk>/", views.project, name="project"),
    # <code>/awards.csv, <code>/calls.json, <code>/service-list.csv ...: see transparency.datasets.
    re_path(
        r"^communities/(?P<code>[-\w]+)/(?P<dataset>[-a-z]+)\.(?P<extension>csv|json)$",
        views.download,
        name="download",
    ),
]
