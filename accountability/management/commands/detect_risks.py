"""`manage.py detect_risks`: the daily risk detection, run now and in this process."""

from accountability.services.risk_detection import JOB_NAME, detect_risks
from jobs.management.job_command import JobCommand


class Command(JobCommand):
    help = (
        "Raise or update risks from every rule of accountability/services/risk_detection.py, now and in this process."
    )

    def handle(self, *args, **options):
        self.run_job(name=JOB_NAME, work=detect_risks)
