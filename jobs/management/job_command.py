"""The shared shape of the commands that run a periodic job by hand, synchronously."""

from django.core.management.base import BaseCommand, CommandError

from jobs.execution import job_execute
from jobs.models import JobOutcome
from partners.models import Community


class JobCommand(BaseCommand):
    """Runs one job through job_execute (recorded, single-flight) and prints its counts."""

    def run_job(self, *, name: str, work, community_id: int | None = None) -> None:
        run = job_execute(name=name, community=community_id, work=work)
        if run.outcome == JobOutcome.SKIPPED:
            self.stdout.write(self.style.WARNING("Skipped: another run of this job is in progress."))
            return
        for counted, count in run.counts.items():
            self.stdout.write(f"{counted}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Done (job run {run.pk})."))

    def community_id(self, code_or_id: str | None) -> int | None:
        """A community named by its code or its id; None means every community."""
        if not code_or_id:
            return None
        by_code = Community.objects.filter(code=code_or_id).values_list("pk", flat=True).first()
        if by_code is not None:
            return by_code
        if code_or_id.isdigit() and Community.objects.filter(pk=int(code_or_id)).exists():
            return int(code_or_id)
        raise CommandError(f"No community with code or id {code_or_id!r}.")
