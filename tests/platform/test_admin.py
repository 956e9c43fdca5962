"""Every admin page renders for a superuser: each changelist, each add page, each change page."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from audit.models import AuditAction, AuditEntry
from audit.services import record
from tests import factories

pytestmark = pytest.mark.django_db

OWN_APPS = {"audit", "partners", "jobs", "services", "coproduction", "accountability", "evaluation"}
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def make_one(model):
    """One valid row of a model, from its factory (or, for the audit log, through its service)."""
    if model._meta.app_label == "audit":
        return record(actor=None, action=AuditAction.CREATE, instance=factories.CommunityFactory())
    if model.__name__ == "InspectionTemplate":
        project = factories.ProjectFactory()
        return model.objects.create(
            service_item=project.service_item,
            items=["Kitchen clean"],
            updated_at=timezone.now(),
            updated_by=factories.UserFactory(),
        )
    if model.__name__ == "InspectionPhoto":
        return model.objects.create(
            inspection=factories.InspectionFactory(),
            image="inspections/1/a.jpg",
            content_type="image/jpeg",
            width=4,
            height=3,
            uploaded_at=timezone.now(),
        )
    if model.__name__ in {"ApplicationAttachment", "DutyCompletionAttachment"}:
        parent = {
            "ApplicationAttachment": ("application", factories.ApplicationFactory),
            "DutyCompletionAttachment": ("completion", factories.DutyCompletionFactory),
        }[model.__name__]
        return model.objects.create(
            **{parent[0]: parent[1]()},
            file="files/plan.pdf",
            original_name="方案.pdf",
            content_type="application/pdf",
            size=1024,
        )
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
    url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if model._meta.app_label in OWN_APPS:
        obj = make_one(model)
        response = superuser_client.get(reverse(f"{url_name}_change", args=[obj.pk]))
        assert response.status_code == 200, response.content[:2000]

    response = superuser_client.get(reverse(f"{url_name}_changelist"))
    assert response.status_code == 200

    if model_admin.has_add_permission(response.wsgi_request):
        response = superuser_client.get(reverse(f"{url_name}_add"))
        assert response.status_code == 200


def test_the_job_runs_open_on_the_last_run_of_each_job(superuser_client):
    from datetime import timedelta

    from django.utils import timezone

    community = factories.CommunityFactory()
    now = timezone.now()
    for job, community_of_run, hours_ago in [
        ("recompute_accountability", None, 30),
        ("recompute_accountability", None, 5),
        ("recompute_accountability", community, 1),
        ("detect_risks", None, 2),
    ]:
        factories.JobRunFactory(
            job=job,
            community=community_of_run,
            started_at=now - timedelta(hours=hours_ago),
            finished_at=now - timedelta(hours=hours_ago) + timedelta(minutes=1),
        )

    latest = factories.JobRunFactory._meta.model.objects.latest_per_job()
    assert {(run.job, run.community_id, round((now - run.started_at).total_seconds() / 3600)) for run in latest} == {
        ("detect_risks", None, 2),
        ("recompute_accountability", None, 5),
        ("recompute_accountability", community.pk, 1),
    }
    response = superuser_client.get(reverse("admin:jobs_jobrun_changelist"))
    assert response.context["cl"].result_count == 3
    response = superuser_client.get(reverse("admin:jobs_jobrun_changelist") + "?runs=all")
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


def make_third_party_row(model):
    """A row of a model the admin shows from an installed package, so that its list shows its columns."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule
    from rest_framework.authtoken.models import Token

    now = timezone.now()
    attempt = {"user_agent": "Mozilla/5.0", "ip_address": "10.0.0.1", "username": "someone", "path_info": "/accounts/"}
    creators = {
        Group: lambda: Group.objects.create(name="检查员"),
        AccessAttempt: lambda: AccessAttempt.objects.create(
            **attempt,
            http_accept="*/*",
            get_data="",
            post_data="",
            failures_since_start=2,
        ),
        AccessFailureLog: lambda: AccessFailureLog.objects.create(**attempt, http_accept="*/*", locked_out=False),
        AccessLog: lambda: AccessLog.objects.create(**attempt, http_accept="*/*", logout_time=now),
        ClockedSchedule: lambda: ClockedSchedule.objects.create(clocked_time=now),
        IntervalSchedule: lambda: IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES),
        SolarSchedule: lambda: SolarSchedule.objects.create(event="sunrise", latitude=39.1, longitude=117.2),
    }
    if model._meta.concrete_model is Token:
        Token.objects.create(user=factories.UserFactory())
    elif model in creators:
        creators[model]()


COLUMN_HEADER = re.compile(r'<th scope="col"[^>]*>(.*?)</th>', re.DOTALL)


@pytest.mark.parametrize("model,model_admin", REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_every_changelist_in_chinese_has_chinese_column_headers(superuser_client, model, model_admin):
    if model._meta.app_label in OWN_APPS:
        make_one(model)
    else:
        make_third_party_row(model)
    url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    response = superuser_client.get(reverse(f"{url_name}_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    headers = [strip_tags(header).strip() for header in COLUMN_HEADER.findall(response.content.decode())]
    assert headers, "the list shows no row, so no columns"
    assert [header for header in headers if re.search(r"[A-Za-z]", header)] == []


def test_an_inspection_template_is_written_through_its_service(superuser_client):
    from accountability.models import InspectionTemplate

    project = factories.ProjectFactory()
    url = reverse("admin:accountability_inspectiontemplate_add")

    response = superuser_client.post(
        url, {"service_item": project.service_item_id, "items_text": "厨房清洁\n留样齐全\n"}
    )

    assert response.status_code == 302
    template = InspectionTemplate.objects.get(service_item=project.service_item)
    assert template.items == ["厨房清洁", "留样齐全"]
    assert template.updated_by.is_superuser
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(template.pk)).exists()


def test_an_inspection_templates_items_are_changed_through_its_service(superuser_client):
    from accountability.models import InspectionTemplate

    template = make_one(InspectionTemplate)
    url = reverse("admin:accountability_inspectiontemplate_change", args=[template.pk])
    assert "Kitchen clean" in superuser_client.get(url).content.decode()

    response = superuser_client.post(url, {"items_text": "厨房清洁\n食品冷藏"})

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.items == ["厨房清洁", "食品冷藏"]
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE, object_id=str(template.pk)).exists()


def test_the_template_service_refuses_a_repeated_item_and_writes_nothing(superuser_client):
    from accountability.models import InspectionTemplate

    project = factories.ProjectFactory()

    response = superuser_client.post(
        reverse("admin:accountability_inspectiontemplate_add"),
        {"service_item": project.service_item_id, "items_text": "厨房清洁\n厨房清洁"},
    )

    assert response.status_code == 200
    assert "厨房清洁" in response.content.decode()  # what was typed comes back
    assert not InspectionTemplate.objects.exists()


def test_an_inspection_photo_is_linked_through_the_permission_checked_download(superuser_client):
    from accountability.models import InspectionPhoto

    photo = make_one(InspectionPhoto)

    page = superuser_client.get(reverse("admin:accountability_inspectionphoto_change", args=[photo.pk]))

    html = page.content.decode()
    assert f'href="/api/v1/inspections/{photo.inspection_id}/photos/{photo.pk}/"' in html
    assert "/media/" not in html


def test_the_schedules_are_listed_by_their_jobs_labels_in_chinese(superuser_client):
    # The schedules are installed by the apps' migrations, under English names.
    response = superuser_client.get(
        reverse("admin:django_celery_beat_periodictask_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    jobs = re.findall(r'<th class="field-job_display"><a [^>]*>(.*?)</a>', response.content.decode())
    assert "每月监督报告" in jobs and "每周监督报告" in jobs
    assert [job for job in jobs if re.search(r"[A-Za-z]", job)] == []


def test_a_job_runs_counters_are_named_in_chinese(superuser_client):
    factories.JobRunFactory(
        job="accountability.recompute_accountability",
        finished_at=timezone.now(),
        counts={"overdue_duty_opened": 3, "claims_lapsed": 1, "something_new": 2},
    )

    response = superuser_client.get(reverse("admin:jobs_jobrun_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.content.decode()
    assert "逾期职责：新立违约: 3" in html and "失效的认领: 1" in html and "其他计数: 2" in html
    assert "overdue_duty_opened" not in html and ">accountability.recompute_accountability<" not in html


def test_the_admin_index_names_every_app_in_chinese(superuser_client):
    response = superuser_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    captions = re.findall(r"<caption>\s*<a [^>]*>(.*?)</a>", response.content.decode(), re.DOTALL)
    assert "登录锁定" in captions
    assert [caption for caption in captions if re.search(r"[A-Za-z]", caption)] == []


@pytest.mark.parametrize(
    "name,url",
    [
        ("ApplicationAttachment", "/portal/applications/{parent}/attachments/{pk}/"),
        ("DutyCompletionAttachment", "/portal/duty-completions/{parent}/attachments/{pk}/"),
    ],
)
def test_application_and_evidence_files_are_linked_through_their_permission_checked_downloads(
    superuser_client, name, url
):
    from django.apps import apps

    model = apps.get_model("coproduction" if name == "ApplicationAttachment" else "accountability", name)
    attachment = make_one(model)
    parent = attachment.application_id if name == "ApplicationAttachment" else attachment.completion_id
    url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    html = superuser_client.get(reverse(f"{url_name}_change", args=[attachment.pk])).content.decode()

    assert f'href="{url.format(parent=parent, pk=attachment.pk)}"' in html
    assert "/media/" not in html
