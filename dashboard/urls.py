"""Officials' pages under /dashboard/: each views module lists its own paths."""

from dashboard.views import (
    complaints,
    duties,
    evaluation,
    jobs,
    needs,
    overview,
    partners,
    projects,
    selection,
    service_list,
    supervision,
)

app_name = "dashboard"
urlpatterns = [
    *overview.urls,
    *selection.urls,
    *service_list.urls,
    *projects.urls,
    *supervision.urls,
    *complaints.urls,
    *evaluation.urls,
    *needs.urls,
    *partners.urls,
    *jobs.urls,
    *duties.urls,
]
