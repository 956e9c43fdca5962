"""Officials' pages under /dashboard/: each views module lists its own paths."""
from .views import overview, projects, selection, supervision

app_name = "dashboard"
urlpatterns = [*overview.urls, *selection.urls, *projects.urls, *supervision.urls]
