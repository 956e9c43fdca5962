"""The default schedules the migrations install: the outbox every five minutes, the digests each morning."""

import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app
from jobs.admin import periodic_task_label
from notifications.tasks import DIGEST_TASK, SEND_TASK

pytestmark = pytest.mark.django_db


def test_the_outbox_is_sent_every_five_minutes():
    task = PeriodicTask.objects.get(task=SEND_TASK)
    assert task.enabled and (task.interval.every, task.interval.period) == (5, "minutes")
    assert periodic_task_label(task) == "Sending notification e-mails"


def test_the_digests_go_out_at_seven_in_shanghai():
    task = PeriodicTask.objects.get(task=DIGEST_TASK)
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Asia/Shanghai")
    assert periodic_task_label(task) == "Daily notification digests"


def test_the_worker_knows_both_tasks():
    app.loader.import_default_modules()
    assert {SEND_TASK, DIGEST_TASK} <= set(app.tasks)
