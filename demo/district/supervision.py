"""The district's service reports with their history, complaints, inspections, ratings and evaluations."""

from accountability.models import Complaint, Inspection
from accountability.services.breach_detection import report_period_due
from coproduction.models import ReportEvent, ServiceReport
from demo.district.context import District
from demo.district.sql import execute, table
from evaluation.models import Evaluation, Rating
from partners.models import Membership

MANAGER = f"(SELECT m.user_id FROM {table(Membership)} m WHERE m.organisation_id = %s LIMIT 1)"


def seed_reports(d: District) -> int:
    """Each provider reports every month from the project's start up to the month now due; one provider
    in twelve has not yet reported the month due (a missed report). Older reports are accepted."""
    due_start, _due_end = report_period_due(d.today)
    count = execute(
        f"""
        INSERT INTO {table(ServiceReport)} (project_id, organisation_id, period_start, period_end, people_served,
            service_units, cost, income, subsidy, narrative, status, revision, submitted_by_id, submitted_at,
            reviewed_by_id, reviewed_at, review_comment)
        SELECT p.id, provider.organisation_id, month.start, (month.start + interval '1 month - 1 day')::date,
            40 + figures.seed %% 200, figures.units, figures.units * 15, figures.units * 5,
            figures.units * CASE WHEN p.position %% 9 = 4 THEN 6 ELSE 11 END,
            '本月按服务标准完成服务，服务台账见附件。',
            CASE WHEN month.start < %(due)s THEN 'accepted' ELSE 'submitted' END, 1,
            {MANAGER % "provider.organisation_id"},
            LEAST((month.start + interval '1 month 2 days 09:00')::timestamptz, now() - interval '10 minutes'),
            CASE WHEN month.start < %(due)s THEN p.official_id END,
            CASE WHEN month.start < %(due)s THEN
                LEAST((month.start + interval '1 month 8 days 10:00')::timestamptz, now() - interval '5 minutes') END,
            ''
        FROM district_project p
        CROSS JOIN LATERAL unnest(p.provider_ids, p.provider_organisation_ids)
            AS provider(participation_id, organisation_id)
        CROSS JOIN LATERAL (SELECT CASE WHEN p.stage = 'operation' THEN %(due)s::date
                                        ELSE date_trunc('month', p.end_date)::date END AS last_start) AS bounds
        CROSS JOIN LATERAL generate_series(p.start_date, bounds.last_start, interval '1 month') AS month_row(start_at)
        CROSS JOIN LATERAL (SELECT month_row.start_at::date AS start) AS month
        CROSS JOIN LATERAL (SELECT (provider.participation_id * 31 + extract(month FROM month.start)::int * 7)::int
                                       AS seed,
                                   (300 + (provider.participation_id * 131) %% 3000)::int AS units) AS figures
        WHERE p.stage <> 'design'
          AND NOT (p.stage = 'operation' AND month.start = %(due)s AND provider.participation_id %% 12 = 0)
    """,
        {"due": due_start},
    )
    _seed_report_events()
    return count


def _seed_report_events() -> None:
    reports = f"{table(ServiceReport)} r JOIN district_project p ON p.id = r.project_id"
    execute(f"""
        INSERT INTO {table(ReportEvent)} (report_id, kind, revision, by_id, at, comment, figures)
        SELECT r.id, 'submitted', 1, r.submitted_by_id, r.submitted_at, '',
            jsonb_build_object('period_start', r.period_start, 'period_end', r.period_end, 'people_served',
                r.people_served, 'service_units', r.service_units, 'cost', r.cost::text, 'income', r.income::text,
                'subsidy', r.subsidy::text, 'narrative', r.narrative, 'attachments', '[]'::jsonb)
        FROM {reports}
    """)
    execute(f"""
        INSERT INTO {table(ReportEvent)} (report_id, kind, revision, by_id, at, comment, figures)
        SELECT r.id, 'accepted', 1, r.reviewed_by_id, r.reviewed_at, '', '{{}}'::jsonb FROM {reports}
        WHERE r.status = 'accepted'
    """)


def seed_complaints(d: District) -> int:
    """Most complaints were answered within a day; three in twenty still wait, most of them past their deadline."""
    return execute(
        f"""
        INSERT INTO {table(Complaint)} (project_id, resident_id, duty_id, routed_to_id, subject, body, filed_at,
            response_due_at, response, responded_at, responded_by_id, status, closed_at, closing_note, photo)
        SELECT p.id, r.id, NULL, routed.organisation_id, '服务质量问题 ' || n, '服务未按承诺标准提供，请尽快处理。',
            filed.at, filed.at + interval '72 hours',
            CASE WHEN shape.answered THEN '已核实并整改，感谢监督。' ELSE '' END,
            CASE WHEN shape.answered THEN LEAST(filed.at + interval '20 hours', now() - interval '30 minutes') END,
            CASE WHEN shape.answered THEN {MANAGER % "routed.organisation_id"} END,
            shape.status,
            CASE WHEN shape.status = 'confirmed'
                THEN LEAST(filed.at + interval '2 days', now() - interval '10 minutes') END,
            '', ''
        FROM district_project p CROSS JOIN generate_series(1, %(per)s) AS n
        JOIN district_resident r ON r.community_id = p.community_id
            AND r.position = (n * 37 + p.position * 11) %% %(residents)s
        CROSS JOIN LATERAL (SELECT p.provider_organisation_ids[1 + n %% array_length(p.provider_organisation_ids, 1)]
                            AS organisation_id) AS routed
        CROSS JOIN LATERAL (SELECT LEAST(
                                (%(today)s::date - (n * 29 + p.position * 7) %% 180 + time '10:00')::timestamptz,
                                         now() - interval '1 hour') AS at) AS filed
        CROSS JOIN LATERAL (SELECT (n * 7 + p.position) %% 20 AS bucket) AS b
        CROSS JOIN LATERAL (SELECT
            CASE WHEN b.bucket < 3 THEN 'open' WHEN b.bucket = 3 THEN 'reopened' WHEN b.bucket < 13 THEN 'answered'
                 ELSE 'confirmed' END AS status, b.bucket >= 3 AS answered) AS shape
        WHERE p.stage IN ('operation', 'evaluation')
    """,
        {"per": d.plan.complaints_per_project, "residents": d.plan.residents_per_community, "today": d.today},
    )


def seed_inspections(d: District) -> int:
    """Two in twenty-five inspections failed; their breaches are left for the accountability job to find."""
    return execute(
        f"""
        INSERT INTO {table(Inspection)}
            (project_id, organisation_id, inspector_id, inspected_on, checklist, result, notes)
        SELECT p.id, p.provider_organisation_ids[1 + n %% array_length(p.provider_organisation_ids, 1)], p.official_id,
            LEAST(COALESCE(p.end_date, %(today)s::date), GREATEST(p.start_date + 1,
                  %(today)s::date - 5 - (n * 53 + p.position * 17) %% 360)),
            jsonb_build_array(jsonb_build_object('item', '环境整洁', 'passed', shape.result <> 'failed', 'note', ''),
                              jsonb_build_object('item', '台账齐全', 'passed', shape.result = 'passed', 'note', '')),
            shape.result, CASE WHEN shape.result = 'failed' THEN '现场检查不合格，限期整改。' ELSE '' END
        FROM district_project p CROSS JOIN generate_series(1, %(per)s) AS n
        CROSS JOIN LATERAL (SELECT CASE WHEN (n * 3 + p.position) %% 25 < 2 THEN 'failed'
                                        WHEN (n * 3 + p.position) %% 25 < 7 THEN 'minor_issues'
                                        ELSE 'passed' END AS result) AS shape
        WHERE p.stage <> 'design'
    """,
        {"per": d.plan.inspections_per_project, "today": d.today},
    )


def seed_ratings(d: District) -> int:
    """Each month of the last year and more, a different group of the community's residents rates each project."""
    return execute(
        f"""
        INSERT INTO {table(Rating)} (project_id, resident_id, period, score, comment, created_at)
        SELECT p.id, r.id, month.period,
            (ARRAY[2, 3, 4, 4, 4, 4, 5, 5, 5, 5])[1 + (raters.k * 7 + p.position * 3 + m) %% 10]
                - CASE WHEN p.position %% 9 = 4 AND raters.k %% 3 = 0 THEN 1 ELSE 0 END,
            '', LEAST((month.period + 20 + time '20:00')::timestamptz, now() - interval '5 minutes')
        FROM district_project p CROSS JOIN generate_series(1, %(months)s) AS m
        CROSS JOIN LATERAL (SELECT (date_trunc('month', %(today)s::date) - m * interval '1 month')::date AS period)
            AS month
        CROSS JOIN generate_series(0, %(raters)s - 1) AS raters(k)
        JOIN district_resident r ON r.community_id = p.community_id
            AND r.position = (p.position * 53 + m * %(raters)s + raters.k) %% %(residents)s
        WHERE p.stage <> 'design' AND month.period >= p.start_date
          AND (p.end_date IS NULL OR month.period <= p.end_date)
    """,
        {
            "months": d.plan.rated_months,
            "raters": d.plan.raters_per_month,
            "today": d.today,
            "residents": d.plan.residents_per_community,
        },
    )


def seed_evaluations(d: District) -> int:
    """A first-year evaluation of running projects, and the (final, once closed) evaluation of finished ones."""
    return execute(f"""
        INSERT INTO {table(Evaluation)} (project_id, period_start, period_end, is_final, evaluator_id, inputs, total,
            grade, comment, created_at)
        SELECT p.id, p.start_date, period.end_on, p.stage = 'closed', p.official_id, '{{}}'::jsonb, score.total,
            CASE WHEN score.total >= 90 THEN 'A' WHEN score.total >= 75 THEN 'B' WHEN score.total >= 60 THEN 'C'
                 ELSE 'D' END,
            '', LEAST((period.end_on + 15 + time '10:00')::timestamptz, now() - interval '5 minutes')
        FROM district_project p
        CROSS JOIN LATERAL (SELECT CASE WHEN p.stage = 'operation' THEN (p.start_date + interval '1 year - 1 day')::date
                                        ELSE p.end_date END AS end_on) AS period
        CROSS JOIN LATERAL (SELECT (55 + (p.position * 7 + p.community * 3) %% 45)::numeric AS total) AS score
        WHERE p.stage <> 'design'
    """)
