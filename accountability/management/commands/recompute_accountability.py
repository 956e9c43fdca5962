"""`manage.py recompute_accountability`: the daily accountability job, run now and in this process."""

from accountability.services.breach_detection import JOB_NAME, recompute_accountability
from jobs.management.job_command import JobCommand


class Command(JobCommand):
    help = (
        "Open breaches for overdue duties, missed reports, unanswered complaints, lapsed claims and failed "
        "inspections, now and in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--community", help="only this community, by code or id (default: all)")

    def handle(self, *args, community=None, **options):
        community_id = self.community_id(community)
        self.run_job(
            name=JOB_NAME, community_id=community_id, work=lambda: recompute_accountability(community_id=community_id)
        )
