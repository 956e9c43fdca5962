"""The periodic jobs' schedules and runs read in Chinese in the admin, their stored names untouched."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from common.crontab_words import crontab_in_words
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def chinese(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.DOTALL)


def crontab(**fields):
    defaults = {
        "minute": "0",
        "hour": "3",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": "Asia/Shanghai",
    }
    return CrontabSchedule(**{**defaults, **fields})


@pytest.mark.parametrize(
    "fields,english,chinese_words",
    [
        ({}, "every day at 03:00", "每天 03:00"),
        ({"minute": "30", "hour": "4", "day_of_week": "1"}, "every Monday at 04:30", "每星期一 04:30"),
        ({"day_of_week": "0"}, "every Sunday at 03:00", "每星期日 03:00"),
        ({"day_of_week": "7"}, "every Sunday at 03:00", "每星期日 03:00"),
        ({"minute": "30", "hour": "4", "day_of_month": "1"}, "on day 1 of every month at 04:30", "每月 1 日 04:30"),
    ],
)
def test_the_platforms_schedules_are_said_in_words(fields, english, chinese_words):
    with translation.override("en"):
        assert crontab_in_words(crontab(**fields)) == english
    with translation.override("zh-hans"):
        assert crontab_in_words(crontab(**fields)) == chinese_words


def test_another_pattern_is_described_and_another_time_zone_named():
    with translation.override("en"):
        assert crontab_in_words(crontab(minute="*/15", hour="*")) == "Every 15 minutes"
        assert crontab_in_words(crontab(timezone="UTC")) == "every day at 03:00 (UTC time)"


def test_the_schedules_list_says_when_each_job_runs_in_chinese(superuser_client):
    html = chinese(superuser_client, reverse("admin:django_celery_beat_periodictask_changelist"))

    schedules = [
        strip_tags(cell).strip()
        for cell in re.findall(r'<td class="field-schedule_display">(.*?)</td>', html, re.DOTALL)
    ]
    assert "每天 03:00" in schedules and "每星期一 04:00" in schedules and "每月 1 日 04:30" in schedules
    assert [cell for cell in schedules if re.search(r"[A-Za-z*]", cell)] == []


def test_the_schedules_are_filtered_by_their_jobs_labels(superuser_client):
    url = reverse("admin:django_celery_beat_periodictask_changelist")
    html = chinese(superuser_client, url)

    assert "每周监督报告" in html and "Task Name" not in html
    assert ">accountability.build_supervision_reports<" not in html

    filtered = chinese(superuser_client, url + "?job=accountability.build_supervision_reports.weekly")
    jobs = re.findall(r'<th class="field-job_display"><a [^>]*>(.*?)</a>', filtered)
    assert jobs == ["每周监督报告"]


def test_a_schedules_page_is_titled_by_its_job_and_says_its_crontab_in_words(superuser_client):
    task = PeriodicTask.objects.get(task="evaluation.recompute_trust_scores")
    stored_name = task.name

    html = chinese(superuser_client, reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))

    assert "<h2>信用分计算</h2>" in html
    assert '<div class="readonly">信用分计算</div>' in html and '<div class="readonly">每天 03:00</div>' in html
    crontab_choices = re.search(r'<select name="crontab".*?</select>', html, re.DOTALL).group(0)
    assert ">每天 03:00</option>" in crontab_choices and "(m/h/dM/MY/d)" not in crontab_choices
    assert "Execution Options" not in html and "Arguments" not in html and "Crontab translation" not in html
    task.refresh_from_db()
    assert task.name == stored_name  # the scheduler's record is not renamed


def test_a_new_schedules_page_opens(superuser_client):
    html = chinese(superuser_client, reverse("admin:django_celery_beat_periodictask_add"))
    assert "每天 03:00" in html


def test_a_crontabs_page_says_it_in_words_and_names_its_jobs(superuser_client):
    schedule = PeriodicTask.objects.get(task="evaluation.recompute_trust_scores").crontab

    html = chinese(superuser_client, reverse("admin:django_celery_beat_crontabschedule_change", args=[schedule.pk]))

    assert '<div class="readonly">每天 03:00</div>' in html
    assert "信用分计算" in html and "使用此计划的周期性任务" in html
    assert "Task Name" not in html and "Human readable" not in html and "Cron Days Of The Week" not in html


def test_a_job_runs_page_is_titled_by_its_job(superuser_client):
    run = factories.JobRunFactory(job="evaluation.recompute_trust_scores", finished_at=timezone.now())

    html = chinese(superuser_client, reverse("admin:jobs_jobrun_change", args=[run.pk]))

    assert "<h2>信用分计算 " in html and "evaluation.recompute_trust_scores" not in html
