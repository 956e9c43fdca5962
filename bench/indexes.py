"""The optimisations found with EXPLAIN at district scale, each timed before and after in this run.

Two kinds:

- a change of the schema (an index, joint statistics, an index less): the hot query is captured
  as the job really sends it, then run under EXPLAIN (ANALYZE) as things stand, and again inside
  a transaction that undoes the change (drops the index or the statistics, creates the index
  again) and is rolled back, so the change is back afterwards;
- a rewrite of a query: the old form and the new one are both built, on the same data, and each
  run under EXPLAIN (ANALYZE).

Nothing measured here is kept: every statement, the jobs' writes included, runs in a transaction
that is rolled back, so the measurements after this section start from the data as built.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import Breach
from accountability.services import breach_detection as jobs
from accountability.services import risk_detection as risk_rules
from coproduction.models import CheckIn, Claim, ClaimStatus, Task
from coproduction.services.claims import claims_lapse_overdue
from dashboard import metrics
from demo.district.context import District
from partners.models import Community, OfficialPost
from partners.roles import official_communities, organisations_of

REPEAT = 3


@dataclass(frozen=True)
class Optimisation:
    query: str
    change: str
    where: str
    run_job_part: Callable[[], object]
    # Which of the part's statements is the hot query (default: the slowest).
    pick: Callable[[str], bool] | None = None
    # Before the change: the index dropped, or these statements run first (statistics
    # dropped, an index no longer kept created again).
    index: str | None = None
    before_statements: str = ""


@dataclass(frozen=True)
class Rewrite:
    query: str
    change: str
    where: str
    # Sets up the data (inside the measuring transaction) and returns the (before, after) statements.
    statements: Callable[[], tuple[str, str]]


def _breach_insert(kind: str) -> Callable[[str], bool]:
    return lambda sql: sql.startswith('INSERT INTO "accountability_breach"') and f"'{kind}' AS" in sql


def _recompute() -> None:
    jobs.recompute_accountability()


def _sql_of(queryset: QuerySet) -> str:
    """The queryset's SELECT with its parameters in place, as the database receives it."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).decode()


def _community_lookup_statements() -> tuple[str, str]:
    """A district official's lookup of their community, as the API's community detail makes it: before,
    joining the residents and organisations with DISTINCT; after, a subquery of ids for each way in."""
    posts = OfficialPost.objects.filter(community__code__startswith=District.CODE_PREFIX)
    post = posts.select_related("user").order_by("community__code", "pk")[0]
    user, organisations = post.user, organisations_of(post.user)
    joined = Community.objects.filter(
        Q(pk__in=official_communities(user).values("pk"))
        | Q(residents__user=user)
        | Q(serving_organisations__in=organisations)
        | Q(based_organisations__in=organisations)
    ).distinct()
    return (
        _sql_of(joined.filter(pk=post.community_id)),
        _sql_of(Community.objects.visible_to(user).filter(pk=post.community_id)),
    )


def _free_places_statements() -> tuple[str, str]:
    """Giving the tasks back the places of the claims just lapsed: before, a count per task
    correlated with each task updated; after, one UPDATE ... FROM the lapsed claims grouped by task.
    Both are timed right after the claims lapse, on statistics that do not know them yet, as in the job."""
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        claims_lapse_overdue()
        transaction.set_rollback(True)
    statements = [query["sql"] for query in captured.captured_queries]
    lapse = next(sql for sql in statements if sql.startswith('UPDATE "coproduction_claim"'))
    after = next(sql for sql in statements if sql.startswith('UPDATE "coproduction_task"'))
    with connection.cursor() as cursor:
        cursor.execute(lapse.replace("%", "%%"), [])  # the claims lapse again, with the same moment
    moment = Claim.objects.filter(status=ClaimStatus.LAPSED).aggregate(moment=Max("ended_at"))["moment"]
    lapsed = Claim.objects.filter(status=ClaimStatus.LAPSED, ended_at=moment)
    per_task = lapsed.filter(task=OuterRef("pk")).order_by().values("task").annotate(n=Count("pk")).values("n")
    update = cast(UpdateQuery, Task.objects.filter(pk__in=lapsed.values("task")).query.chain(UpdateQuery))
    update.add_update_values({"active_claims": F("active_claims") - Subquery(per_task)})
    sql, params = update.get_compiler(connection.alias).as_sql()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).decode(), after


def _free_riding_statements() -> tuple[str, str]:
    """The check-ins of each community in free riding's two windows: before, two counts correlated
    with each community; after, one GROUP BY over the check-ins of both windows (as the rule now does)."""
    today = timezone.localdate()
    recent_from = today - timedelta(days=risk_rules.FREE_RIDING_DAYS)
    earlier_from, tomorrow = recent_from - timedelta(days=risk_rules.FREE_RIDING_DAYS), today + timedelta(days=1)

    def correlated(start: date, end: date) -> Coalesce:
        window = CheckIn.objects.filter(claim__task__project__community=OuterRef("pk"), on__gte=start, on__lt=end)
        window = window.order_by().values("claim__task__project__community").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(window, output_field=IntegerField()), 0)

    before = Community.objects.annotate(
        checkins_before=correlated(earlier_from, recent_from), checkins_now=correlated(recent_from, tomorrow)
    ).values("pk", "checkins_before", "checkins_now")
    after = risk_rules.counts_by_community(
        CheckIn.objects.all(),
        community="claim__task__project__community",
        day="on",
        before_from=earlier_from,
        now_from=recent_from,
        until=tomorrow,
    )
    return _sql_of(before), _sql_of(after)


def _reports_awaiting_review() -> None:
    """The dashboard's reports awaiting review, for the first of the district's communities, as the API asks."""
    first = Community.objects.filter(code__startswith=District.CODE_PREFIX).order_by("code")[0]
    metrics.reports_awaiting_review(Community.objects.filter(pk=first.pk), today=timezone.localdate())


# The index Claim.resident had of its own, which claim_resident_status (resident, status) covers.
_CLAIM_RESIDENT_INDEX = "CREATE INDEX claim_resident_own ON coproduction_claim (resident_id)"
CLAIMS_WRITTEN = 20_000


def _claims_written() -> None:
    """A day's worth of claims for the district, in one statement: copies of existing ones, ended."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO coproduction_claim (task_id, resident_id, status, claimed_at, ended_at) "
            "SELECT task_id, resident_id, %s, now(), now() FROM coproduction_claim ORDER BY id LIMIT %s",
            [ClaimStatus.COMPLETED, CLAIMS_WRITTEN],
        )


_CHECKIN_CLAIM_INDEX = "CREATE INDEX checkin_claim_own ON coproduction_checkin (claim_id)"
CHECKINS_WRITTEN = 50_000


def _checkins_written() -> None:
    """A busy day's check-ins for the district, in one statement: copies of existing ones ten years on."""
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO coproduction_checkin (claim_id, "on", note, photo, hours, created_at) '
            'SELECT claim_id, "on" + 3650, note, photo, hours, now() FROM coproduction_checkin ORDER BY id LIMIT %s',
            [CHECKINS_WRITTEN],
        )


# The check of each entry's content type that AuditEntry.content_type had in the database, made
# immediate so that the statement pays for it rather than the commit (which EXPLAIN does not see).
_AUDIT_CONTENT_TYPE_CHECK = (
    "ALTER TABLE audit_auditentry ADD CONSTRAINT audit_content_type_checked FOREIGN KEY (content_type_id) "
    "REFERENCES django_content_type (id)"
)
AUDIT_ENTRIES_WRITTEN = 20_000


def _audit_entries_written() -> None:
    """A job's audit entries for as many new breaches, in one statement, as its INSERT ... SELECT writes them."""
    breach = ContentType.objects.get_for_model(Breach).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, action, content_type_id, object_id, object_repr, after, note) "
            "SELECT now(), 'create', %s, n::text, 'Overdue duty: ' || n, jsonb_build_object('id', n), '' "
            "FROM generate_series(1, %s) AS n",
            [breach, AUDIT_ENTRIES_WRITTEN],
        )


OPTIMISATIONS = (
    Optimisation(
        "recompute_accountability, overdue duties: active duties due before today without completion or breach",
        "joint statistics of Duty(status, next_due_on)",
        "migration accountability 0009",
        _recompute,
        pick=_breach_insert("overdue_duty"),
        before_statements="DROP STATISTICS duty_status_due_statistics",
    ),
    Optimisation(
        "recompute_accountability, missed reports: current providers without a report overlapping the month",
        "index report_period_end on ServiceReport(period_end)",
        "migration coproduction 0007",
        _recompute,
        pick=_breach_insert("missed_report"),
        index="report_period_end",
    ),
    Rewrite(
        "recompute_accountability, lapsed claims: the tasks get their places back",
        "one UPDATE ... FROM the lapsed claims grouped by task, instead of a correlated count per task",
        "coproduction/services/ (_free_places)",
        _free_places_statements,
    ),
    Rewrite(
        "an official's community, as the API looks it up (GET /api/v1/communities/<id>/, Community.objects.visible_to)",
        "a subquery of ids per way in, instead of joining residents and organisations with DISTINCT",
        "partners/querysets.py",
        _community_lookup_statements,
    ),
    Optimisation(
        "detect_risks, responsibility ambiguity: overdue and orphaned duties of each running project",
        "index duty_project_status_due on Duty(project, status, next_due_on)",
        "migration accountability 0008",
        lambda: risk_rules.responsibility_ambiguity(today=timezone.localdate()),
        index="duty_project_status_due",
    ),
    Optimisation(
        "the officials' dashboard, reports awaiting review: a community's submitted reports, the longest waiting first",
        "partial index report_awaiting_review on ServiceReport(project, submitted_at) of submitted reports",
        "migration coproduction 0010",
        _reports_awaiting_review,
        index="report_awaiting_review",
    ),
    Optimisation(
        f"writing claims: {CLAIMS_WRITTEN:,} in one statement, the table holding the district's",
        "no index of Claim.resident's own: claim_resident_status leads with the same column",
        "migration coproduction 0008",
        _claims_written,
        before_statements=_CLAIM_RESIDENT_INDEX,
    ),
    Optimisation(
        f"writing check-ins: {CHECKINS_WRITTEN:,} in one statement, the table holding the district's",
        "no index of CheckIn.claim's own, nor of 27 other foreign keys' that a wider index leads with",
        "migrations partners 0003, coproduction 0009, accountability 0010, evaluation 0005",
        _checkins_written,
        before_statements=_CHECKIN_CLAIM_INDEX,
    ),
    Optimisation(
        f"writing audit entries: {AUDIT_ENTRIES_WRITTEN:,} in one statement, as the jobs write them",
        "no foreign-key constraint on AuditEntry.content_type: PostgreSQL no longer checks each entry's",
        "migration audit 0005",
        _audit_entries_written,
        before_statements=_AUDIT_CONTENT_TYPE_CHECK,
    ),
    Rewrite(
        "detect_risks, free riding: each community's check-ins in the last month and the month before",
        "one GROUP BY over both months' check-ins, instead of two counts correlated with each community",
        "accountability/services/risk_detection.py (counts_by_community)",
        _free_riding_statements,
    ),
)


def hot_statement(optimisation: Optimisation) -> str:
    """The statement the job part sends for the hot query, as sent (a server-side cursor's query
    unwrapped). The part runs in a transaction that is rolled back."""
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        optimisation.run_job_part()
        transaction.set_rollback(True)
    queries = captured.captured_queries
    if optimisation.pick is None:
        sql = max(queries, key=lambda query: float(query["time"]))["sql"]
    else:
        sql = next(query["sql"] for query in queries if optimisation.pick(query["sql"]))
    return re.sub(r"^DECLARE .*? CURSOR WITH(?:OUT)? HOLD FOR ", "", sql, flags=re.S)


def _explain(sql: str) -> tuple[float, str]:
    """Best execution time (ms, compilation included) of a few EXPLAIN ANALYZE runs, and the indexes
    used. Each run is rolled back, so that a write finds the same rows to write every time."""
    best, plan = None, None
    with connection.cursor() as cursor:
        for _ in range(REPEAT):
            with transaction.atomic():
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.replace("%", "%%"), [])
                document = cursor.fetchone()[0]
                transaction.set_rollback(True)
            document = json.loads(document) if isinstance(document, str) else document
            if best is None or document[0]["Execution Time"] < best:
                best, plan = document[0]["Execution Time"], document[0]["Plan"]
    assert best is not None and plan is not None  # REPEAT runs at least once
    return round(best, 2), ", ".join(sorted(_index_names(plan))) or "no index"


def _index_names(node: dict) -> set[str]:
    names = {node["Index Name"]} if "Index Name" in node else set()
    for child in node.get("Plans", []):
        names |= _index_names(child)
    return names


def _before_change(optimisation: Optimisation, sql: str) -> tuple[float, str]:
    """The query as it ran before the change, in a transaction that is then rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        if optimisation.index:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(optimisation.index)}")
        if optimisation.before_statements:
            cursor.execute(optimisation.before_statements)
        outcome = _explain(sql)
        transaction.set_rollback(True)
    return outcome


def _figures(item, before: tuple[float, str], after: tuple[float, str]) -> dict:
    (before_ms, plan_before), (after_ms, plan_after) = before, after
    return {
        "query": item.query,
        "change": item.change,
        "where": item.where,
        "before_ms": before_ms,
        "after_ms": after_ms,
        "plan_before": plan_before,
        "plan_after": plan_after,
        "speed_up": round(before_ms / after_ms, 1) if after_ms else None,
    }


def _measure(item: Optimisation | Rewrite) -> dict:
    if isinstance(item, Rewrite):
        with transaction.atomic():
            before_sql, after_sql = item.statements()
            after, before = _explain(after_sql), _explain(before_sql)
            transaction.set_rollback(True)
        return _figures(item, before, after)
    sql = hot_statement(item)
    return _figures(item, _before_change(item, sql), _explain(sql))


def measure() -> list[dict]:
    started = time.monotonic()
    results = [_measure(item) for item in OPTIMISATIONS]
    for result in results:
        result["measured_in_seconds"] = round(time.monotonic() - started, 1)
    return results
