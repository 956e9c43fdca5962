"""The benchmark's own code on a tiny district: every section is written, with sane (not fast) values.

PostgreSQL only (the district is loaded with COPY); skipped on SQLite unless REQUIRE_SERVICES=1,
where it fails instead. The run gets a fresh database of its own, dropped at the end, because the
benchmark empties the database it is given.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bench.report import SECTIONS
from demo.district.plan import SCALES
from tests.needs import require_postgresql
from tests.scratch_databases import scratch_database

ENDPOINTS = ("ceiling", "project_list", "task_list", "report_submit", "claim", "dashboard")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[dict, Path]:
    """One tiny benchmark run in its own database; its results.json and output folder."""
    require_postgresql("the benchmark loads its data with PostgreSQL's COPY")
    out = tmp_path_factory.mktemp("bench")
    with scratch_database("bench") as url:
        environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        finished = subprocess.run(
            [sys.executable, "-m", "bench", "--scale", "tiny", "--out", str(out), "--load-seconds", "1"],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads((out / "results.json").read_text()), out


def test_the_results_have_every_section_and_a_table(tiny_run):
    results, out = tiny_run
    assert set(SECTIONS) <= set(results)
    markdown = (out / "RESULTS.md").read_text()
    for heading in (
        "## Dataset",
        "## recompute_accountability",
        "## Periodic jobs",
        "## API under load",
        "## Where a list request's time goes",
        "## Officials' dashboard",
        "## Optimisations",
    ):
        assert heading in markdown


def test_the_tiny_district_has_what_its_plan_promises(tiny_run):
    results, _out = tiny_run
    for label, least in SCALES["tiny"].minimum_counts.items():
        assert results["dataset"]["counts"][label] >= least, label


def test_the_job_finds_exactly_what_its_floor_finds_and_the_second_run_nothing(tiny_run):
    accountability = tiny_run[0]["accountability"]
    assert accountability["same_breaches_as_floor"]
    assert all(kind["rows"] > 0 for kind in accountability["floor"]["kinds"].values())
    assert not any(count for key, count in accountability["second_run"]["counts"].items() if key.endswith("_opened"))
    assert accountability["floor"]["seconds"] > 0 and accountability["ratio_to_floor"] > 0


def test_every_job_reports_its_time_and_a_plausible_peak_memory(tiny_run):
    jobs = tiny_run[0]["jobs"]
    assert set(jobs) == {
        "detect_risks",
        "recompute_trust_scores",
        "build_supervision_reports_weekly",
        "build_supervision_reports_monthly",
    }
    for job in jobs.values():
        assert job["seconds"] > 0
        assert 20 < job["peak_rss_mb"] < 2000


def test_every_endpoint_was_served_under_load_without_a_failure(tiny_run):
    endpoints = tiny_run[0]["api"]["endpoints"]
    assert set(endpoints) == set(ENDPOINTS)
    for name, result in endpoints.items():
        assert result["requests"] > 0, name
        assert result["failures"] == {}, (name, result["failures"])
        assert 0 < result["p50_ms"] <= result["p95_ms"], name
    # Each endpoint's throughput is put as a share of the bare view's (ranking them is the full run's job).
    ceiling = endpoints["ceiling"]["requests_per_second"]
    for name in ENDPOINTS[1:]:
        assert endpoints[name]["share_of_ceiling"] == round(endpoints[name]["requests_per_second"] / ceiling, 3), name


def test_each_list_request_is_timed_stage_by_stage_against_the_bare_view(tiny_run):
    anatomy = tiny_run[0]["anatomy"]
    assert set(anatomy["lists"]) == {"project_list", "task_list"}
    for name, result in anatomy["lists"].items():
        stages = result["stages_ms"]
        assert all(stages[stage] > 0 for stage in ("authentication", "page", "serializing", "database")), name
        assert stages["database"] < stages["authentication"] + stages["page"], name
        # The rest is what the timed stages leave of the whole: were two of them to overlap, it would be negative.
        assert stages["rest"] > 0, name
        # Which costs more is measured, not asserted: twenty requests of a tiny list are too few to rank.
        assert result["times_the_bare_view"] == round(result["request_ms"] / anatomy["bare_view_ms"], 1), name
    assert anatomy["token_only_view_ms"] > 0 and anatomy["bare_view_ms"] > 0
    assert anatomy["token_only_times_the_bare_view"] == round(
        anatomy["token_only_view_ms"] / anatomy["bare_view_ms"], 1
    )


def test_the_dashboard_query_count_does_not_grow_with_the_community(tiny_run):
    dashboard = tiny_run[0]["dashboard"]
    assert dashboard["largest_community"]["duties"] > dashboard["smallest_community"]["duties"]
    assert dashboard["query_count_independent_of_size"]
    assert dashboard["largest_community"]["p95_ms"] > 0


def test_each_optimisation_has_a_before_and_after_and_the_index_is_used(tiny_run):
    optimisations = tiny_run[0]["indexes"]
    assert optimisations and all(item["before_ms"] > 0 and item["after_ms"] > 0 for item in optimisations)
    indexed = next(item for item in optimisations if "index duty_project_status_due" in item["change"])
    assert "duty_project_status_due" in indexed["plan_after"]
    # The query rewrites are timed both ways too, on the same data.
    rewritten = {"partners/querysets.py", "coproduction/services/ (_free_places)"}
    assert rewritten <= {item["where"] for item in optimisations}
