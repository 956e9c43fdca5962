"""Partner organisations' pages under /portal/."""

from django.urls import path

from partner_portal.views import calls, home, record, reports, tokens

app_name = "partner_portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("duties/<int:pk>/complete/", home.duty_complete_page, name="duty_complete"),
    path(
        "duty-completions/<int:pk>/attachments/<int:attachment_id>/",
        home.duty_completion_attachment,
        name="duty_completion_attachment",
    ),
    path("complaints/<int:pk>/answer/", home.complaint_answer_page, name="complaint_answer"),
    path("complaints/<int:pk>/photo/", home.complaint_photo, name="complaint_photo"),
    path("projects/<int:pk>/reports/", reports.project_reports, name="project_reports"),
    path("projects/<int:pk>/reports/new/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/withdraw/", reports.report_withdraw_page, name="report_withdraw"),
    path("reports/<int:pk>/attachments/<int:attachment_id>/", reports.report_attachment, name="report_attachment"),
    path("record/", record.record, name="record"),
    path("record/trust-score/", record.trust_score_explained, name="trust_score"),
    path("calls/", calls.calls, name="calls"),
    path("calls/<int:pk>/apply/", calls.apply, name="apply"),
    path("applications/<int:pk>/withdraw/", calls.withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        calls.application_attachment,
        name="application_attachment",
    ),
    path("token/", tokens.token, name="token"),
]
