"""`manage.py build_supervision_reports`: the weekly or monthly supervision reports, built now and in this process."""
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accountability.models import PeriodKind
from accountability.supervision import supervision_reports_build
from accountability.supervision_tasks import supervision_job_name
from coproduction.jobs import job_execute
from coproduction.models import JobOutcome
from partners.models import Community


class Command(BaseCommand):
    help = (
        "Build each community's supervision report for the last completed week or month (or the period "
        "starting on --start) and e-mail new ones to the officials, now and in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=PeriodKind.values, default=PeriodKind.WEEKLY)
        parser.add_argument("--start", type=date.fromisoformat, help="the period's first day, YYYY-MM-DD")
        parser.add_argument("--community", help="only this community, by code or id (default: all)")

    def handle(self, *args, period, start=None, community=None, **options):
        community_id = self._community_id(community) if community else None
        try:
            run = job_execute(
                name=supervision_job_name(period), community=community_id,
                work=lambda: supervision_reports_build(period_kind=period, period_start=start, community_id=community_id),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
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
