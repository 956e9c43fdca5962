"""Writing the results: bench/results.json in full, and bench/RESULTS.md as a short table."""

import json
from pathlib import Path

from bench.measure_jobs import MEMORY_TARGET_MB

SECTIONS = ("dataset", "accountability", "jobs", "api", "anatomy", "dashboard", "indexes")


def write(results: dict, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = directory / "results.json", directory / "RESULTS.md"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    markdown_path.write_text(markdown(results))
    return json_path, markdown_path


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def markdown(results: dict) -> str:
    lines = [
        f"# Benchmark results: {results['scale']} scale",
        "",
        f"Run {results['started_at']} on {results['machine']}. Figures from `make bench`; full data in "
        "`results.json`. Times are compared with a floor or a ceiling measured in the same run.",
        "",
        "## Dataset",
        "",
        f"Built in {results['dataset']['seconds']} s (bulk COPY and INSERT ... SELECT).",
        "",
        "| table | rows |",
        "|---|---:|",
        *(f"| {label} | {count:,} |" for label, count in results["dataset"]["counts"].items()),
        "",
    ]
    lines += _accountability(results["accountability"]) + _jobs(results["jobs"]) + _api(results["api"])
    lines += _anatomy(results["anatomy"])
    lines += _dashboard(results["dashboard"]) + _indexes(results["indexes"])
    return "\n".join(lines) + "\n"


def _accountability(section: dict) -> list[str]:
    floor, first, second = section["floor"], section["first_run"], section["second_run"]
    return [
        "## recompute_accountability against its floor",
        "",
        "| measure | seconds | ratio | target | met |",
        "|---|---:|---:|---|---|",
        f"| floor: one SQL statement per breach kind, and the foreign-key checks of the rows it wrote "
        f"({floor['foreign_key_checks_seconds']} s) | {floor['seconds']} | 1 | | |",
        f"| job, first run | {first['seconds']} | {section['ratio_to_floor']} x floor | within 2x | "
        f"{_yes(section['ratio_to_floor'] <= section['targets']['ratio_to_floor_at_most'])} |",
        f"| job, second run (nothing changed) | {second['seconds']} | "
        f"{section['second_run_share_of_first']:.1%} of first | at most 10% | "
        f"{_yes(section['second_run_share_of_first'] <= section['targets']['second_run_share_at_most'])} |",
        "",
        f"Of the first run, {first['database_seconds']['breach_inserts']} s went to its five detecting statements "
        f"({section['detection_ratio_to_floor']} x floor) and {first['database_seconds']['audit_inserts']} s to "
        "inserting one audit entry per new breach (and per lapsed claim), one INSERT ... SELECT per kind; the "
        "rest is lapsing claims, escalating severities and committing, none of which the floor does. Django's "
        "foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED): the floor, whose transaction is "
        "rolled back, checks them before the rollback, so both pay for them. Both runs are made by one worker "
        "process, whose database connection is open before the first, as the floor's is; the tables the first "
        "run wrote were vacuumed and analysed (VACUUM ANALYZE) before the second, as autovacuum does within a minute.",
        "",
        "Breaches opened by the first run: "
        + ", ".join(
            f"{key.removesuffix('_opened')} {value}"
            for key, value in first["counts"].items()
            if key.endswith("_opened")
        )
        + "; the floor found "
        + ", ".join(f"{kind} {kind_result['rows']}" for kind, kind_result in floor["kinds"].items())
        + ".",
        "",
    ]


def _jobs(section: dict) -> list[str]:
    return [
        "## Periodic jobs (each in its own process, as a worker)",
        "",
        f"| job | seconds | peak RSS (MB) | under {MEMORY_TARGET_MB} MB |",
        "|---|---:|---:|---|",
        *(
            f"| {name} | {job['seconds']} | {job['peak_rss_mb']} | {_yes(job['peak_rss_mb'] < MEMORY_TARGET_MB)} |"
            for name, job in section.items()
        ),
        "",
    ]


def _api(section: dict) -> list[str]:
    return [
        f"## API under load ({section['server']}, {section['clients']} clients, "
        f"{section['seconds_per_endpoint']} s each)",
        "",
        "| endpoint | requests/s | share of ceiling | p50 ms | p95 ms | failures | target met |",
        "|---|---:|---:|---:|---:|---|---|",
        *(
            f"| {name}: {result['description']} | {result['requests_per_second']} | {result['share_of_ceiling']:.0%} | "
            f"{result['p50_ms']} | {result['p95_ms']} | {sum(result['failures'].values())} | "
            f"{'' if name == 'ceiling' else _yes(result['meets_target'])} |"
            for name, result in section["endpoints"].items()
        ),
        "",
        "Targets: list endpoints at least a third of the ceiling's throughput; every endpoint's p95 under 100 ms. "
        "The clients are threads of the benchmark's own process, each with its own connection and users (API tokens "
        "of the demo's officials, residents and providers' managers); bench/load.py says why this rather than locust.",
        "",
    ]


def _anatomy(section: dict) -> list[str]:
    stages = ("authentication", "throttling", "filtering", "page", "serializing", "rendering", "rest")
    return [
        f"## Where a list request's time goes (in process, mean of {section['requests']} requests)",
        "",
        "| list | ms | x bare view | " + " | ".join(stages) + " | of which database |",
        "|---|---:|---:|" + "---:|" * (len(stages) + 1),
        *(
            f"| {name} | {result['request_ms']} | {result['times_the_bare_view']} | "
            + " | ".join(str(result["stages_ms"][stage]) for stage in stages)
            + f" | {result['stages_ms']['database']} |"
            for name, result in section["lists"].items()
        ),
        "",
        f"The bare view takes {section['bare_view_ms']} ms in process. Stages in ms: the token's lookup, the "
        "throttle's count in the cache, the filter set, the page (its one query run and its rows made into "
        "objects), the serializer, the JSON, and the rest (middleware, routing, dispatch); the database's share "
        "is part of the token's lookup and of the page. A list reaches a third of the bare view's throughput "
        "only if it costs at most three times as much. A DRF view that authenticates the same token and does "
        f"nothing else takes {section['token_only_view_ms']} ms, {section['token_only_times_the_bare_view']} x the "
        "bare view.",
        "",
    ]


def _dashboard(section: dict) -> list[str]:
    return [
        "## Officials' dashboard page (server time, in process)",
        "",
        "| community | duties | p50 ms | p95 ms | queries |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {page['community']} | {page['duties']:,} | {page['p50_ms']} | {page['p95_ms']} | {page['queries']} |"
            for page in (section["largest_community"], section["smallest_community"])
        ),
        "",
        f"Query count independent of size: {_yes(section['query_count_independent_of_size'])}; p95 under 150 ms: "
        f"{_yes(section['largest_community']['p95_ms'] < 150)}.",
        "",
    ]


def _indexes(section: list) -> list[str]:
    return [
        "## Optimisations: each hot query before and after (EXPLAIN ANALYZE, best of 3, same run)",
        "",
        "| hot query | change | where | before (ms) | after (ms) | indexes used after |",
        "|---|---|---|---:|---:|---|",
        *(
            f"| {item['query']} | {item['change']} | {item['where']} | {item['before_ms']} | {item['after_ms']} | "
            f"{item['plan_after']} |"
            for item in section
        ),
        "",
    ]
