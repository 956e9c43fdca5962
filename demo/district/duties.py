"""The district's duties, each with its one Accountable participant, their completions and Responsible parties."""

from accountability.models import Duty, DutyAssignment, DutyCompletion, RaciRole
from coproduction.models import Participation
from demo.district.context import District
from demo.district.sql import execute, table
from partners.models import Membership

TEMPLATES = (
    "按服务标准提供服务",
    "每月提交服务报告",
    "食品留样与台账",
    "安全巡查",
    "设施设备维护",
    "志愿者排班",
    "居民满意度回访",
    "消防安全检查",
    "服务档案整理",
    "经费使用公示",
    "应急预案演练",
    "特殊群体走访",
)
INTERVALS = (
    "CASE d.recurrence WHEN 'weekly' THEN interval '7 days' WHEN 'monthly' THEN interval '1 month' "
    "ELSE interval '3 months' END"
)


def seed_duties(d: District) -> int:
    """One duty in 25 of a running project is overdue (from 1 to 60 days), the rest fall due in the next 90 days."""
    templates = "ARRAY[" + ", ".join(f"'{title}'" for title in TEMPLATES) + "]"
    return execute(
        f"""
        INSERT INTO {table(Duty)} (project_id, title, description, accountable_id, recurrence, next_due_on, status,
            created_at)
        SELECT p.id, ({templates})[1 + n %% {len(TEMPLATES)}] || ' #' || n, '',
            CASE WHEN n %% 3 = 0 THEN p.lead_id ELSE p.provider_ids[1 + n %% array_length(p.provider_ids, 1)] END,
            (ARRAY['once', 'weekly', 'monthly', 'quarterly'])[1 + n %% 4],
            CASE WHEN shape.status <> 'active' THEN %(today)s::date - 10 - n %% 100
                 WHEN (n + p.position) %% 25 = 0 THEN %(today)s::date - 1 - (n * 7 + p.position * 3) %% 60
                 ELSE %(today)s::date + 1 + (n * 13) %% 90 END,
            shape.status,
            LEAST((COALESCE(LEAST(p.start_date, %(today)s::date), %(today)s::date) + time '09:00')::timestamptz,
                  now() - interval '5 minutes')
        FROM district_project p CROSS JOIN generate_series(1, %(per)s) AS n
        CROSS JOIN LATERAL (SELECT CASE
            WHEN p.stage IN ('evaluation', 'closed') THEN CASE WHEN n %% 5 = 0 THEN 'cancelled' ELSE 'done' END
            WHEN n %% 17 = 0 THEN 'done' WHEN n %% 31 = 0 THEN 'cancelled' ELSE 'active' END AS status) AS shape
    """,
        {"today": d.today, "per": d.plan.duties_per_project},
    )


def seed_completions(d: District) -> int:
    """Done duties were completed on their due date; active recurring ones completed their previous occurrence."""
    return execute(f"""
        INSERT INTO {table(DutyCompletion)} (duty_id, due_on, completed_at, completed_by_id, evidence)
        SELECT d.id, occurrence.due_on,
            LEAST((occurrence.due_on + time '16:00')::timestamptz, now() - interval '5 minutes'), m.user_id,
            '已完成，台账和照片存档备查。'
        FROM {table(Duty)} d
        JOIN district_project p ON p.id = d.project_id
        JOIN {table(Participation)} a ON a.id = d.accountable_id
        JOIN {table(Membership)} m ON m.organisation_id = a.organisation_id
        CROSS JOIN LATERAL (SELECT CASE WHEN d.status = 'done' THEN d.next_due_on
                                        ELSE (d.next_due_on - {INTERVALS})::date END AS due_on) AS occurrence
        WHERE d.status = 'done' OR (d.status = 'active' AND d.recurrence <> 'once')
    """)


def seed_assignments(d: District) -> int:
    """The lead is Responsible beside a provider's accountability for one duty in four."""
    return execute(
        f"""
        INSERT INTO {table(DutyAssignment)} (duty_id, participation_id, role)
        SELECT d.id, p.lead_id, %(responsible)s FROM {table(Duty)} d JOIN district_project p ON p.id = d.project_id
        WHERE d.accountable_id <> p.lead_id AND d.id %% 4 = 1
    """,
        {"responsible": RaciRole.RESPONSIBLE},
    )
