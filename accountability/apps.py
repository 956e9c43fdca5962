"""The accountability app: duties, supervision, breaches and risks."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability and supervision")

    def ready(self):
        # Connects the receivers of coproduction's events and registers the lifecycle guard on duties.
        from . import guards, receivers  # noqa: F401
        # Registers the supervision reports task (Celery autodiscovers tasks.py only).
        from . import supervision_tasks  # noqa: F401
        # Registers the complaints section of a resident's data export.
        from . import personal_data  # noqa: F401
        # Names the counters its jobs record, for the job runs' pages.
        from coproduction.models.jobs import job_count_labels_register

        from .job_counts import job_count_labels
        job_count_labels_register(job_count_labels())
