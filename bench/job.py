"""`python -m bench.job NAME [RUNS]`: run a periodic job as a worker would, in this process, RUNS times
(default once); print the figures of each run as a JSON list.

The database connection is opened before the clock starts, as a worker's (and the floor's, in
the benchmark's own process) already is. Between runs the tables the job writes are vacuumed
and analysed, as autovacuum does within a minute of a run's thousands of writes (and long before
the next day's run): without it the next run is planned on statistics that still say the breach
table is empty, and is the one to set the hint bits of every row the first run wrote.

The peak resident memory is this process's own high-water mark (VmHWM in /proc/self/status),
read once the runs are done: the rusage the parent gets from wait4() starts from the parent's own
size at fork, so it would report the benchmark's footprint rather than the job's.
"""

import json
import os
import sys
import time


def _jobs() -> dict:
    from accountability.models import PeriodKind
    from accountability.services import breach_detection as jobs
    from accountability.services import risk_detection as risk_rules
    from accountability.services.supervision_reports import supervision_reports_build
    from accountability.tasks import supervision_job_name
    from evaluation import tasks as evaluation_tasks

    def supervision(period: str):
        return supervision_job_name(period), lambda: supervision_reports_build(period_kind=period)

    return {
        "recompute_accountability": (jobs.JOB_NAME, jobs.recompute_accountability),
        "detect_risks": (risk_rules.JOB_NAME, risk_rules.detect_risks),
        "recompute_trust_scores": (evaluation_tasks.TRUST_JOB_NAME, evaluation_tasks.recompute_trust_scores),
        "build_supervision_reports_weekly": supervision(PeriodKind.WEEKLY),
        "build_supervision_reports_monthly": supervision(PeriodKind.MONTHLY),
    }


class StatementClock:
    """Time spent in the database, in total and on the statements writing breaches and audit entries."""

    WATCHED = {
        "breach_inserts": 'INSERT INTO "accountability_breach"',
        "audit_inserts": 'INSERT INTO "audit_auditentry"',
    }

    def __init__(self):
        self.seconds = dict.fromkeys(["all_statements", *self.WATCHED], 0.0)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.seconds["all_statements"] += elapsed
            for label, prefix in self.WATCHED.items():
                if sql.startswith(prefix):
                    self.seconds[label] += elapsed


def peak_rss_kb() -> int | None:
    """The high-water mark of this process's resident memory since it started (Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


VACUUMED_BETWEEN_RUNS = ("accountability_breach", "coproduction_claim", "coproduction_task", "audit_auditentry")


def _timed_run(job_name: str, work) -> dict:
    from django.db import connection

    from jobs.execution import job_execute
    from jobs.models import JobOutcome

    clock = StatementClock()
    started = time.perf_counter()
    with connection.execute_wrapper(clock):
        run = job_execute(name=job_name, work=work)
    seconds = time.perf_counter() - started
    if run.outcome != JobOutcome.SUCCEEDED:
        raise SystemExit(f"{job_name} ended {run.outcome}: {run.error}")
    database = {label: round(value, 3) for label, value in clock.seconds.items()}
    return {"seconds": seconds, "database_seconds": database, "counts": run.counts}


def main(name: str, runs: int = 1) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    job_name, work = _jobs()[name]
    connection.ensure_connection()
    results = []
    for number in range(runs):
        if number:
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(VACUUMED_BETWEEN_RUNS)}")
        results.append(_timed_run(job_name, work))
    peak = peak_rss_kb()
    print(json.dumps([{**result, "peak_rss_kb": peak} for result in results]))


if __name__ == "__main__":
    main(sys.argv[1], *(int(runs) for runs in sys.argv[2:3]))
