"""One benchmark run, section by section, in an order that keeps each measurement on known data."""

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from bench import anatomy, dashboard, indexes, load, measure_jobs, report, scenario
from demo.district.build import DistrictError, build_district, district_exists
from demo.district.plan import plan_for


class BenchError(Exception):
    """The benchmark cannot run here (not PostgreSQL, a bad scale...)."""


def _log(line: str) -> None:
    print(line, flush=True)


def prepare_dataset(scale: str, *, reuse: bool) -> dict:
    if connection.vendor != "postgresql":
        raise BenchError("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://... to a database it may empty.")
    try:
        plan = plan_for(scale)
    except ValueError as error:
        raise BenchError(str(error)) from error
    call_command("migrate", interactive=False, verbosity=0)
    if reuse and district_exists():
        return {"seconds": None, "reused": True, "counts": dict.fromkeys(plan.minimum_counts)}
    if district_exists() or _has_rows():
        _log(f"Emptying database {connection.settings_dict['NAME']} for the benchmark...")
        call_command("flush", interactive=False, verbosity=0)
    started = time.monotonic()
    try:
        counts = build_district(plan, log=_log)
    except DistrictError as error:
        raise BenchError(str(error)) from error
    return {"seconds": round(time.monotonic() - started, 1), "reused": False, "counts": counts}


def _machine() -> str:
    version = connection.cursor().connection.server_version  # e.g. 150018 for 15.18
    postgresql = f"PostgreSQL {version // 10000}.{version % 10000}"
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {postgresql}"


def _vacuum() -> None:
    """VACUUM (ANALYZE) the platform's tables before the sections that time jobs and requests.

    Before them, the indexes section rolls back every write it measures, leaving dead rows, and
    the jobs commit tens of thousands; autovacuum would clear both within minutes, on the same two
    cores as the measurements. Tidied first, the figures are those of the platform's steady state,
    not of autovacuum's schedule.
    """
    tables = connection.introspection.django_table_names(only_existing=True)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(map(connection.ops.quote_name, sorted(tables))))
    _log(f"Vacuumed and analysed {len(tables)} tables in {time.monotonic() - started:.0f}s.")


def _has_rows() -> bool:
    from partners.models import Community

    return Community.objects.exists()


def run(*, scale: str, out: Path, load_seconds: float | None, reuse: bool) -> dict:
    small = scale != "full"
    results: dict[str, object] = {"scale": scale, "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
    _log(f"Dataset ({scale})...")
    results["dataset"] = prepare_dataset(scale, reuse=reuse)
    results["machine"] = _machine()
    _log("Indexes: hot queries without and with their indexes...")
    results["indexes"] = indexes.measure()
    _vacuum()
    _log("recompute_accountability against its floor...")
    results["accountability"] = measure_jobs.measure_accountability()
    _log("The other jobs...")
    results["jobs"] = measure_jobs.measure_other_jobs()
    _vacuum()
    _log("Dashboard page...")
    results["dashboard"] = dashboard.measure(requests=10 if small else 30)
    _log("API under load...")
    seconds = load_seconds if load_seconds is not None else (2.0 if small else 20.0)
    endpoints = scenario.endpoints()
    results["api"] = load.measure(endpoints, seconds=seconds)
    _log("Where a list request's time goes...")
    results["anatomy"] = anatomy.measure(endpoints, requests=20 if small else 300)
    report.write(results, out)
    return results
