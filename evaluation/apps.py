"""The evaluation app: registers its lifecycle guard when Django starts."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Performance evaluation")

    def ready(self):
        # Registers the lifecycle guard "closing needs a final evaluation".
        from . import guards  # noqa: F401
        # Connects the receivers of the service list's events (indicators follow a new version).
        from . import receivers  # noqa: F401
        # Registers the ratings section of a resident's data export.
        from . import personal_data  # noqa: F401
        # Names the counter its trust-score job records, for the job runs' pages.
        from coproduction.models.jobs import job_count_labels_register
        job_count_labels_register({"trust_scores_written": _("trust scores written")})
