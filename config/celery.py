"""The Celery application: configured from Django's settings, tasks found in every app."""

import gc
import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("coproduction")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
def _leave_startup_objects_out_of_garbage_collection(**kwargs):
    """What a worker has loaded once ready (Django, the apps, the tasks) lives as long as the process.

    Frozen, the collector stops walking it: on each collection, and in the full collection at exit, which
    otherwise took seconds and, under `make run`, ran past honcho's five seconds between SIGTERM and SIGKILL.
    """
    gc.freeze()


def _ensure_filesystem_broker_folders():
    """The file-system broker needs its folders before the first message is sent."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = app.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


_ensure_filesystem_broker_folders()
