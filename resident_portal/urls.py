"""Residents' pages under /me/."""

from django.urls import path

from resident_portal.views import checkins, complaints, home, my_data, needs, ratings, tasks

app_name = "resident_portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("account/", home.me, name="me"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/claim/", tasks.task_claim, name="task_claim"),
    path("tasks/<int:pk>/release/", tasks.task_release, name="task_release"),
    path("claims/<int:claim_pk>/check-in/", checkins.checkin_create, name="checkin"),
    path("check-ins/", checkins.checkin_list, name="checkins"),
    path("check-ins/<int:pk>/photo/", checkins.checkin_photo, name="checkin_photo"),
    path("ratings/", ratings.ratings, name="ratings"),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/photo/", complaints.complaint_photo, name="complaint_photo"),
    path("complaints/<int:pk>/confirm/", complaints.complaint_confirm_answer, name="complaint_confirm"),
    path("complaints/<int:pk>/reopen/", complaints.complaint_reopen_answer, name="complaint_reopen"),
    path("needs/", needs.needs, name="needs"),
    path("my-data/", my_data.my_data, name="my_data"),
    path("my-data/download/", my_data.my_data_download, name="my_data_download"),
    path("my-data/removal/", my_data.account_removal, name="account_removal"),
]
