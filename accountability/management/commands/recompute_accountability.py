"""`manage.py recompute_accountability`: the daily accountability job, run now and in this process."""
from django.core.management.base import BaseCommand, CommandError

from accountability.jobs import JOB_NAME, recompute_accountability
from coproduction.jobs import job_execute
from coproduction.models import JobOutcome
from partners.models import Community


class Command(BaseCommand):
    help = (
        "Open breaches for overdue duties, missed reports, unanswered complaints, lapsed claims and failed "
        "inspections, now and in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--community", help="only this community, by code or id (default: all)")

    def handle(self, *args, community=None, **options):
        community_id = self._community_id(community) if community else None
        run = job_execute(
            name=JOB_NAME, community=community_id,
            work=lambda: recompute_accountability(community_id=community_id),
        )
        if run.outcome == JobOutcome.SKIPPED:
            self.stdout.write(self.style.WARNING("Skipped: another run of this job is in progress."))
            return
        for name, count in run.counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Done (job run {run.pk})."))

    def _community_id(self, code_or_id: str) -> int:
        by_code = Community.objects.filter(code=code_or_id).values_list("pk", flat=True).first()
        if by_code is not None:
            return by_code
        if code_or_id.isdigit() and Community.objects.filter(pk=int(code_or_id)).exists():
            return int(code_or_id)
        raise CommandError(f"No community with code or id {code_or_id!r}.")
