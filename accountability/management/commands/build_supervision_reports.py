"""`manage.py build_supervision_reports`: the weekly or monthly supervision reports, built now and in this process."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from accountability.models import PeriodKind
from accountability.services.supervision_reports import supervision_reports_build
from accountability.tasks import supervision_job_name
from jobs.management.job_command import JobCommand


class Command(JobCommand):
    help = (
        "Build each community's supervision report for the last completed week or month (or the period "
        "starting on --start) and e-mail new ones to the officials, now and in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=PeriodKind.values, default=PeriodKind.WEEKLY)
        parser.add_argument("--start", type=date.fromisoformat, help="the period's first day, YYYY-MM-DD")
        parser.add_argument("--community", help="only this community, by code or id (default: all)")

    def handle(self, *args, period, start=None, community=None, **options):
        community_id = self.community_id(community)
        try:
            self.run_job(
                name=supervision_job_name(period),
                community_id=community_id,
                work=lambda: supervision_reports_build(
                    period_kind=period, period_start=start, community_id=community_id
                ),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
