"""`manage.py recompute_trust_scores`: the daily trust-score job, run now and in this process."""
from django.core.management.base import BaseCommand

from coproduction.jobs import job_execute
from coproduction.models import JobOutcome
from evaluation.tasks import TRUST_JOB_NAME, recompute_trust_scores


class Command(BaseCommand):
    help = "Compute today's trust score of every organisation from its evaluations and breaches, now and in this process."

    def handle(self, *args, **options):
        run = job_execute(name=TRUST_JOB_NAME, work=recompute_trust_scores)
        if run.outcome == JobOutcome.SKIPPED:
            self.stdout.write(self.style.WARNING("Skipped: another run of this job is in progress."))
            return
        for name, count in run.counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Done (job run {run.pk})."))
