"""`manage.py recompute_trust_scores`: the daily trust-score job, run now and in this process."""

from evaluation.tasks import TRUST_JOB_NAME, recompute_trust_scores
from jobs.management.job_command import JobCommand


class Command(JobCommand):
    help = (
        "Compute today's trust score of every organisation from its evaluations and breaches, now and in this process."
    )

    def handle(self, *args, **options):
        self.run_job(name=TRUST_JOB_NAME, work=recompute_trust_scores)
