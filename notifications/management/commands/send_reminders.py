"""`manage.py send_reminders`: the daily reminders before deadlines, run now and in this process."""

from jobs.management.job_command import JobCommand
from notifications.services.reminders import JOB_NAME, reminders_send


class Command(JobCommand):
    help = (
        "Remind providers of service reports and duties due, residents of claims about to lapse and officials "
        "of complaints nearing their deadline, now and in this process."
    )

    def handle(self, *args, **options):
        self.run_job(name=JOB_NAME, work=reminders_send)
