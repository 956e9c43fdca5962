"""Every admin page renders for a superuser: each changelist, each add page, each change page."""
import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditAction
from audit.services import record
from tests import factories

pytestmark = pytest.mark.django_db

OWN_APPS = {"audit", "partners", "services", "coproduction", "accountability", "evaluation"}
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def make_one(model):
    """One valid row of a model, from its factory (or, for the audit log, through its service)."""
    if model._meta.app_label == "audit":
        return record(actor=None, action=AuditAction.CREATE, instance=factories.CommunityFactory())
    if model.__name__ == "ReportEvent":
        report = factories.ServiceReportFactory()
        return model.objects.create(report=report, kind="submitted", revision=1, by=report.submitted_by)
    return getattr(factories, f"{model.__name__}Factory")()


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_every_own_model_is_in_the_admin():
    from django.apps import apps

    registered = {model for model, _ in REGISTERED}
    missing = [m._meta.label for app in OWN_APPS for m in apps.get_app_config(app).get_models() if m not in registered]
    assert missing == []


@pytest.mark.parametrize("model,model_admin", REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_admin_pages_render(superuser_client, model, model_admin):
    info = model._meta.app_label, model._meta.model_name
    if model._meta.app_label in OWN_APPS:
        obj = make_one(model)
        response = superuser_client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
        assert response.status_code == 200, response.content[:2000]

    response = superuser_client.get(reverse("admin:%s_%s_changelist" % info))
    assert response.status_code == 200

    if model_admin.has_add_permission(response.wsgi_request):
        response = superuser_client.get(reverse("admin:%s_%s_add" % info))
        assert response.status_code == 200


def test_the_job_runs_open_on_the_last_run_of_each_job(superuser_client):
    from datetime import timedelta

    from django.utils import timezone

    community = factories.CommunityFactory()
    now = timezone.now()
    for job, community_of_run, hours_ago in [
        ("recompute_accountability", None, 30), ("recompute_accountability", None, 5),
        ("recompute_accountability", community, 1), ("detect_risks", None, 2),
    ]:
        factories.JobRunFactory(job=job, community=community_of_run, started_at=now - timedelta(hours=hours_ago),
                                finished_at=now - timedelta(hours=hours_ago) + timedelta(minutes=1))

    latest = factories.JobRunFactory._meta.model.objects.latest_per_job()
    assert {(run.job, run.community_id, round((now - run.started_at).total_seconds() / 3600)) for run in latest} == {
        ("detect_risks", None, 2), ("recompute_accountability", None, 5), ("recompute_accountability", community.pk, 1),
    }
    response = superuser_client.get(reverse("admin:coproduction_jobrun_changelist"))
    assert response.context["cl"].result_count == 3
    response = superuser_client.get(reverse("admin:coproduction_jobrun_changelist") + "?runs=all")
    assert response.context["cl"].result_count == 4


def test_stored_files_are_linked_through_the_permission_checked_downloads_not_media_urls(superuser_client):
    attachment = factories.ReportAttachmentFactory()
    checkin = factories.CheckInFactory(photo="checkins/2025/03/plot.jpg")

    pages = [
        superuser_client.get(reverse("admin:coproduction_reportattachment_change", args=[attachment.pk])),
        superuser_client.get(reverse("admin:coproduction_servicereport_change", args=[attachment.report_id])),
        superuser_client.get(reverse("admin:coproduction_claim_change", args=[checkin.claim_id])),
    ]

    html = "".join(page.content.decode() for page in pages)
    assert f'href="/api/v1/reports/{attachment.report_id}/attachments/{attachment.pk}/"' in html
    assert f'href="/api/v1/checkins/{checkin.pk}/photo/"' in html
    assert "/media/" not in html


def test_the_admin_header_speaks_chinese(superuser_client):
    response = superuser_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "社区服务合作生产" in response.content.decode()
