"""The evaluation app: indicators, evaluations, ratings and trust scores."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Performance evaluation")

    def ready(self):
        # Every reaction of this app to the lower apps' signals is connected in receivers.py.
        from evaluation import receivers  # noqa: F401
