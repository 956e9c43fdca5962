"""The periodic jobs, each in a child process like a worker: wall time and peak resident memory.

recompute_accountability is set against its floor (floor.py) measured just before it on the same
data, then run a second time with nothing changed, by the same worker process.
"""

import json
import os
import subprocess
import sys
import tempfile

from django.conf import settings

from bench import floor

OTHER_JOBS = (
    "detect_risks",
    "recompute_trust_scores",
    "build_supervision_reports_weekly",
    "build_supervision_reports_monthly",
)
MEMORY_TARGET_MB = 500
FLOOR_TARGET_RATIO = 2.0
SECOND_RUN_TARGET_SHARE = 0.10


class JobFailed(Exception):
    """A job's child process exited with an error; the message carries the end of its stderr."""


def run_in_child(name: str, runs: int = 1) -> list[dict]:
    """Run the job `runs` times in a fresh interpreter, as a worker would; the figures of each run.
    The peak memory is the one the child read from /proc (see bench/job.py); where /proc is missing,
    wait4()'s ru_maxrss for that child, which may count the benchmark's own size at the fork."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    with tempfile.TemporaryFile(mode="w+") as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.job", name, str(runs)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        stdout = child.stdout
        assert stdout is not None  # stdout=PIPE
        output = stdout.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        stdout.close()
        if child.returncode != 0:
            errors.seek(0)
            raise JobFailed(f"{name} failed (exit {child.returncode}):\n{errors.read()[-3000:]}")
    return [
        {
            "seconds": round(result["seconds"], 3),
            "peak_rss_mb": round((result["peak_rss_kb"] or usage.ru_maxrss) / 1024, 1),  # both in kB on Linux
            "database_seconds": result["database_seconds"],
            "counts": result["counts"],
        }
        for result in json.loads(output.strip().splitlines()[-1])
    ]


def measure_accountability() -> dict:
    floor_result = floor.measure()
    first, second = run_in_child("recompute_accountability", runs=2)
    detection = first["database_seconds"]["breach_inserts"]
    return {
        "floor": floor_result,
        "first_run": first,
        "second_run": second,
        "ratio_to_floor": round(first["seconds"] / floor_result["seconds"], 2),
        # The job's own detecting statements (one INSERT ... SELECT per kind), against the same floor.
        "detection_ratio_to_floor": round(detection / floor_result["seconds"], 2),
        "same_breaches_as_floor": all(
            first["counts"][f"{kind}_opened"] == result["rows"] for kind, result in floor_result["kinds"].items()
        ),
        "vacuumed_between_runs": True,
        "second_run_share_of_first": round(second["seconds"] / first["seconds"], 3),
        "targets": {"ratio_to_floor_at_most": FLOOR_TARGET_RATIO, "second_run_share_at_most": SECOND_RUN_TARGET_SHARE},
    }


def measure_other_jobs() -> dict:
    return {name: run_in_child(name)[0] for name in OTHER_JOBS}
