"""The optimisations found with EXPLAIN at district scale, each timed before and after in this run.

Each hot query is captured as the job really sends it (its slowest statement), then run under
EXPLAIN (ANALYZE) both ways: for an index, as it stands and inside a transaction that drops the
index and is rolled back (so the index is back afterwards); for a setting, with it and without.
"""
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability import risk_rules

REPEAT = 3


@dataclass(frozen=True)
class Optimisation:
    query: str
    change: str
    where: str
    run_job_part: Callable[[], object]
    # Before the change: the index dropped, or these session settings (e.g. JIT back on).
    index: str | None = None
    before_settings: str = ""


OPTIMISATIONS = (
    Optimisation(
        "detect_risks, responsibility ambiguity: overdue and orphaned duties of each running project",
        "index duty_project_status_due on Duty(project, status, next_due_on)", "migration accountability 0008",
        lambda: risk_rules.responsibility_ambiguity(today=timezone.localdate()), index="duty_project_status_due",
    ),
    Optimisation(
        "detect_risks, free riding: check-ins and claims per community over two months",
        "JIT compilation off for the platform's connections", "coproduction/settings.py (DATABASES OPTIONS)",
        lambda: risk_rules.free_riding(today=timezone.localdate()), before_settings="SET LOCAL jit = on",
    ),
)


def slowest_statement(run_job_part: Callable[[], object]) -> str:
    """The statement the job part spent longest on, as sent (a server-side cursor's query unwrapped)."""
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        run_job_part()
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))["sql"]
    return re.sub(r"^DECLARE .*? CURSOR WITH(?:OUT)? HOLD FOR ", "", slowest, flags=re.S)


def _explain(sql: str) -> tuple[float, str]:
    """Best execution time (ms, compilation included) of a few EXPLAIN ANALYZE runs, and the indexes used."""
    best, plan = None, None
    with connection.cursor() as cursor:
        for _ in range(REPEAT):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.replace("%", "%%"), [])
            document = cursor.fetchone()[0]
            document = json.loads(document) if isinstance(document, str) else document
            if best is None or document[0]["Execution Time"] < best:
                best, plan = document[0]["Execution Time"], document[0]["Plan"]
    return round(best, 2), ", ".join(sorted(_index_names(plan))) or "no index"


def _index_names(node: dict) -> set[str]:
    names = {node["Index Name"]} if "Index Name" in node else set()
    for child in node.get("Plans", []):
        names |= _index_names(child)
    return names


def _before(optimisation: Optimisation, sql: str) -> tuple[float, str]:
    """The query as it ran before the change, in a transaction that is then rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        if optimisation.index:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(optimisation.index)}")
        if optimisation.before_settings:
            cursor.execute(optimisation.before_settings)
        outcome = _explain(sql)
        transaction.set_rollback(True)
    return outcome


def _measure(optimisation: Optimisation) -> dict:
    sql = slowest_statement(optimisation.run_job_part)
    with transaction.atomic():
        after_ms, plan_after = _explain(sql)
    before_ms, plan_before = _before(optimisation, sql)
    return {
        "query": optimisation.query, "change": optimisation.change, "where": optimisation.where,
        "before_ms": before_ms, "after_ms": after_ms, "plan_before": plan_before, "plan_after": plan_after,
        "speed_up": round(before_ms / after_ms, 1) if after_ms else None,
    }


def measure() -> list[dict]:
    started = time.monotonic()
    results = [_measure(optimisation) for optimisation in OPTIMISATIONS]
    for result in results:
        result["measured_in_seconds"] = round(time.monotonic() - started, 1)
    return results
