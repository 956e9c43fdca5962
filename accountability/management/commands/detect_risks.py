"""`manage.py detect_risks`: the daily risk detection, run now and in this process."""
from django.core.management.base import BaseCommand

from accountability.risk_rules import JOB_NAME, detect_risks
from coproduction.jobs import job_execute
from coproduction.models import JobOutcome


class Command(BaseCommand):
    help = "Raise or update risks from every rule of accountability/risk_rules.py, now and in this process."

    def handle(self, *args, **options):
        run = job_execute(name=JOB_NAME, work=detect_risks)
        if run.outcome == JobOutcome.SKIPPED:
            self.stdout.write(self.style.WARNING("Skipped: another run of this job is in progress."))
            return
        for name, count in run.counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Done (job run {run.pk})."))
