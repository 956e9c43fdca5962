"""The floor for recompute_accountability: one hand-written INSERT ... SELECT per breach kind.

Each statement finds the same misses as the job (same rules, same `today`) and writes the same
breach rows, but with nothing around it: no ORM, no audit entries, no lapsing of claims (the
lapsed-claim statement picks up the claims the job would lapse). They run in one transaction
that is rolled back, so the job then starts from exactly the data the floor saw; the foreign keys
of the rows it wrote are checked before the rollback, as a commit would check them.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accountability.services import breach_detection as jobs

BREACH_COLUMNS = (
    "kind, status, sanction, resolution, detected_at, updated_at, details, description, severity, project_id, "
    "organisation_id, duty_id, due_on, complaint_id, claim_id, inspection_id"
)
COMMON = "'open', 'none', '', %(moment)s, %(moment)s"

STATEMENTS = {
    "overdue_duty": f"""
        INSERT INTO accountability_breach ({BREACH_COLUMNS})
        SELECT 'overdue_duty', {COMMON}, '{{}}', 'Overdue duty: ' || d.title,
            CASE WHEN d.next_due_on <= %(high_before)s THEN 'high' WHEN d.next_due_on <= %(medium_before)s THEN 'medium'
                 ELSE 'low' END,
            d.project_id, a.organisation_id, d.id, d.next_due_on, NULL, NULL, NULL
        FROM accountability_duty d
        JOIN coproduction_project p ON p.id = d.project_id
        JOIN coproduction_participation a ON a.id = d.accountable_id
        WHERE d.status = 'active' AND d.next_due_on < %(today)s AND p.stage <> 'closed'
          AND NOT EXISTS (SELECT 1 FROM accountability_dutycompletion c
                          WHERE c.duty_id = d.id AND c.due_on = d.next_due_on)
          AND NOT EXISTS (SELECT 1 FROM accountability_breach b
                          WHERE b.kind = 'overdue_duty' AND b.duty_id = d.id AND b.due_on = d.next_due_on)
        ON CONFLICT DO NOTHING""",
    "missed_report": f"""
        INSERT INTO accountability_breach ({BREACH_COLUMNS})
        SELECT 'missed_report', {COMMON}, %(period)s, 'No service report', 'medium',
            pa.project_id, pa.organisation_id, NULL, %(period_start)s, NULL, NULL, NULL
        FROM coproduction_participation pa
        JOIN coproduction_project p ON p.id = pa.project_id
        WHERE pa.role = 'provider' AND pa.left_on IS NULL AND pa.joined_on <= %(period_end)s
          AND p.stage = 'operation' AND p.start_date <= %(period_end)s
          AND (p.end_date IS NULL OR p.end_date >= %(period_start)s)
          AND NOT EXISTS (SELECT 1 FROM coproduction_servicereport r
                          WHERE r.project_id = pa.project_id AND r.organisation_id = pa.organisation_id
                            AND r.period_start <= %(period_end)s AND r.period_end >= %(period_start)s)
          AND NOT EXISTS (SELECT 1 FROM accountability_breach b
                          WHERE b.kind = 'missed_report' AND b.project_id = pa.project_id
                            AND b.organisation_id = pa.organisation_id AND b.due_on = %(period_start)s)
        ON CONFLICT DO NOTHING""",
    "unanswered_complaint": f"""
        INSERT INTO accountability_breach ({BREACH_COLUMNS})
        SELECT 'unanswered_complaint', {COMMON}, '{{}}', 'Complaint not answered in time: ' || c.subject,
            CASE WHEN c.response_due_at < %(complaint_high_before)s THEN 'high' ELSE 'medium' END,
            c.project_id, c.routed_to_id, NULL, NULL, c.id, NULL, NULL
        FROM accountability_complaint c
        WHERE c.status IN ('open', 'reopened') AND c.response_due_at < %(cutoff)s
          AND NOT EXISTS (SELECT 1 FROM accountability_breach b
                          WHERE b.kind = 'unanswered_complaint' AND b.complaint_id = c.id)
        ON CONFLICT DO NOTHING""",
    "lapsed_claim": f"""
        INSERT INTO accountability_breach ({BREACH_COLUMNS})
        SELECT 'lapsed_claim', {COMMON}, '{{}}', 'Claim lapsed without check-ins: ' || t.title, 'low',
            t.project_id, answering.organisation_id, NULL, NULL, NULL, c.id, NULL
        FROM coproduction_claim c
        JOIN coproduction_task t ON t.id = c.task_id
        CROSS JOIN LATERAL (
            SELECT pa.organisation_id FROM coproduction_participation pa
            WHERE pa.project_id = t.project_id AND pa.role IN ('lead', 'provider')
            ORDER BY pa.role = 'lead' DESC, pa.id LIMIT 1
        ) AS answering
        WHERE (c.status = 'lapsed' OR (c.status = 'active'
                 AND LEAST(%(today)s, t.period_end) > GREATEST(COALESCE(c.last_checkin_on,
                         (c.claimed_at AT TIME ZONE %(time_zone)s)::date), t.period_start)
                     + t.checkin_interval_days * (t.missed_checkins_allowed + 1)))
          AND NOT EXISTS (SELECT 1 FROM accountability_breach b WHERE b.kind = 'lapsed_claim' AND b.claim_id = c.id)
        ON CONFLICT DO NOTHING""",
    "failed_inspection": f"""
        INSERT INTO accountability_breach ({BREACH_COLUMNS})
        SELECT 'failed_inspection', {COMMON}, '{{}}', 'Failed inspection.', 'high',
            i.project_id, i.organisation_id, NULL, NULL, NULL, NULL, i.id
        FROM accountability_inspection i
        WHERE i.result = 'failed'
          AND NOT EXISTS (SELECT 1 FROM accountability_breach b
                          WHERE b.kind = 'failed_inspection' AND b.inspection_id = i.id)
        ON CONFLICT DO NOTHING""",
}


def parameters() -> dict:
    moment, today = timezone.now(), timezone.localdate()
    start, end = jobs.report_period_due(today)
    return {
        "moment": moment,
        "cutoff": moment,
        "today": today,
        "time_zone": settings.TIME_ZONE,
        "high_before": today - timedelta(days=jobs.OVERDUE_HIGH_DAYS),
        "medium_before": today - timedelta(days=jobs.OVERDUE_MEDIUM_DAYS),
        "complaint_high_before": moment - jobs.COMPLAINT_HIGH_AFTER,
        "period_start": start,
        "period_end": end,
        "period": f'{{"period_start": "{start.isoformat()}", "period_end": "{end.isoformat()}"}}',
    }


def _run_once() -> dict:
    params, kinds = parameters(), {}
    with transaction.atomic(), connection.cursor() as cursor:
        for kind, sql in STATEMENTS.items():
            started = time.perf_counter()
            cursor.execute(sql, params)
            kinds[kind] = {"seconds": round(time.perf_counter() - started, 4), "rows": cursor.rowcount}
        # Django declares foreign keys DEFERRABLE INITIALLY DEFERRED: checked at commit, so a rolled
        # back insert would skip checking (and key-share locking) the rows its breaches point to.
        # Checked now, as the job's commits check them, the floor pays for every row it writes.
        started = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        checks = round(time.perf_counter() - started, 4)
        # The breaches are counted, never kept: the job must find the same ones afterwards.
        transaction.set_rollback(True)
    return {
        "seconds": round(sum(kind["seconds"] for kind in kinds.values()) + checks, 4),
        "foreign_key_checks_seconds": checks,
        "kinds": kinds,
    }


def measure(repeat: int = 3) -> dict:
    """The fastest of a few runs (the first warms the cache, as the job's own first statements would)."""
    return min((_run_once() for _ in range(repeat)), key=lambda run: run["seconds"])
