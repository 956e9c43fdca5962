"""The district's projects with their partners and contributions, and the residents' tasks, claims and check-ins."""

from dataclasses import dataclass
from datetime import date, timedelta

from accountability.services.duties import add_months
from coproduction.models import (
    CheckIn,
    Claim,
    Contribution,
    ContributionKind,
    GovernanceLevel,
    Participation,
    ParticipationRole,
    Project,
    ProjectTransition,
    Stage,
    Task,
    TaskKind,
)
from coproduction.services.projects import projects_recompute_concentration
from demo.district.context import District
from demo.district.sql import copy_rows, execute, table
from partners.models import OrganisationKind, OrganisationStatus
from service_list.models import ServiceListItem

CHECKIN_INTERVAL_DAYS = 7
MISSED_CHECKINS_ALLOWED = 2
TASK_CAPACITY = 30


@dataclass(frozen=True)
class ProjectPlan:
    community: int
    position: int
    item: ServiceListItem
    stage: str
    start_date: date | None
    end_date: date | None

    @property
    def serial(self) -> int:
        return self.community * 1000 + self.position


def stage_at(position: int, per_community: int) -> str:
    """A tenth in design, seven tenths running, a tenth being evaluated, a tenth closed."""
    share = position / per_community
    if share < 0.1:
        return Stage.DESIGN
    if share < 0.8:
        return Stage.OPERATION
    return Stage.EVALUATION if share < 0.9 else Stage.CLOSED


def project_dates(d: District, stage: str, serial: int) -> tuple[date | None, date | None]:
    """Running projects began 13 to 36 months ago, so each has a long history of reports and check-ins."""
    this_month = d.today.replace(day=1)
    if stage == Stage.DESIGN:
        return add_months(this_month, 2), None
    start = add_months(this_month, -(13 + (serial * 7) % 24))
    if stage == Stage.OPERATION:
        return start, None if serial % 2 == 0 else add_months(start, 60) - timedelta(days=1)
    if stage == Stage.EVALUATION:
        return start, this_month - timedelta(days=1)
    return start, add_months(this_month, -2) - timedelta(days=1)


def _plans(d: District) -> list[ProjectPlan]:
    items = list(ServiceListItem.objects.published().select_related("category").order_by("code"))
    per = d.plan.projects_per_community
    plans = []
    for community in range(d.plan.communities):
        for position in range(per):
            stage = stage_at(position, per)
            item = items[(community * per + position) % len(items)]
            dates = project_dates(d, stage, community * 1000 + position)
            plans.append(ProjectPlan(community, position, item, stage, *dates))
    return plans


def seed_projects(d: District) -> int:
    plans = _plans(d)
    official = {c: d.user_ids[d.official_username(c)] for c in range(d.plan.communities)}
    projects = Project.objects.bulk_create(
        [
            Project(
                name=f"{plan.item.name}（{d.community_code(plan.community)}-{plan.position + 1:02d}）",
                community_id=d.community_ids[d.community_code(plan.community)],
                service_item=plan.item,
                stage=plan.stage,
                start_date=plan.start_date,
                end_date=plan.end_date,
                budget=100_000 + (plan.serial * 7919) % 900_000,
                description=plan.item.description,
                asset_justification=(
                    "运营方以既有设施承接，无需新增专用资产投入。" if plan.item.needs_specific_assets else ""
                ),
                governance_authority=GovernanceLevel.HIGH if plan.position % 2 == 0 else GovernanceLevel.LOW,
                authority_reason="社区党委牵头统筹。" if plan.position % 2 == 0 else "由参与方协商共治。",
                created_by_id=official[plan.community],
            )
            for plan in plans
        ],
        batch_size=2000,
    )
    participations = _seed_participations(d, plans, projects)
    _seed_contributions(plans, projects, participations)
    projects_recompute_concentration(projects=Project.objects.filter(pk__in=[p.pk for p in projects]))
    _seed_transitions(plans, projects, official)
    _project_table(d, plans, projects, participations)
    return len(projects) + sum(len(ids) for ids in participations.values())


def _eligible_providers(d: District) -> dict:
    """(community index, organisation kind) -> approved organisation ids, for choosing providers."""
    home_index = {
        community_id: int(code.removeprefix(d.CODE_PREFIX)) - 1 for code, community_id in d.community_ids.items()
    }
    pools: dict = {}
    for organisation_id, kind, status, home in d.organisations:
        if status == OrganisationStatus.APPROVED:
            pools.setdefault((home_index[home], kind), []).append(organisation_id)
    return pools


def _seed_participations(d: District, plans, projects) -> dict:
    """A government lead and two or three providers of the kinds the item allows: project id -> [lead, providers...]."""
    pools, rows = _eligible_providers(d), []
    for plan, project in zip(plans, projects, strict=True):
        lead = pools[(plan.community, OrganisationKind.GOVERNMENT)][0]
        eligible = sorted(
            organisation_id
            for kind in plan.item.eligible_kinds
            for organisation_id in pools.get((plan.community, kind), [])
            if organisation_id != lead
        )
        count = 2 + plan.serial % 2
        providers = [eligible[(plan.serial * 7 + step * 5) % len(eligible)] for step in range(count * 3)]
        providers = list(dict.fromkeys(providers))[:count]
        joined = plan.start_date if plan.stage != Stage.DESIGN else d.today
        rows.append(
            Participation(
                project=project, organisation_id=lead, role=ParticipationRole.LEAD, joined_on=min(joined, d.today)
            )
        )
        rows += [
            Participation(
                project=project,
                organisation_id=organisation_id,
                role=ParticipationRole.PROVIDER,
                joined_on=min(joined, d.today),
            )
            for organisation_id in providers
        ]
    Participation.objects.bulk_create(rows, batch_size=5000)
    by_project: dict = {}
    for row in rows:
        by_project.setdefault(row.project_id, []).append(row)
    return by_project


def _seed_contributions(plans, projects, participations) -> None:
    """The lead's money and the providers' labour, valued so that both resource levels occur."""
    rows = []
    for plan, project in zip(plans, projects, strict=True):
        lead, *providers = participations[project.pk]
        concentrated = plan.position % 4 < 2
        on = min(plan.start_date, project.created_at.date()) if plan.start_date else project.created_at.date()
        rows.append(
            Contribution(
                project=project,
                participation=lead,
                kind=ContributionKind.MONEY,
                description="财政补贴资金",
                value=300_000 if concentrated else 60_000,
                contributed_on=on,
            )
        )
        rows += [
            Contribution(
                project=project,
                participation=provider,
                kind=ContributionKind.LABOUR_HOURS,
                description="服务人员工时",
                quantity=2000,
                unit="小时",
                value=50_000,
                contributed_on=on,
            )
            for provider in providers
        ]
    Contribution.objects.bulk_create(rows, batch_size=5000)


def _seed_transitions(plans, projects, official) -> None:
    path = [Stage.DESIGN, Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED]
    rows = [
        ProjectTransition(
            project=project,
            from_stage=path[step],
            to_stage=path[step + 1],
            by_id=official[plan.community],
            reason="按计划推进。",
        )
        for plan, project in zip(plans, projects, strict=True)
        for step in range(path.index(plan.stage))
    ]
    ProjectTransition.objects.bulk_create(rows, batch_size=5000)


def _project_table(d: District, plans, projects, participations) -> None:
    """A session table of the projects with what later statements derive rows from."""
    execute(
        "CREATE TEMP TABLE district_project (id bigint PRIMARY KEY, community_id bigint, community int, position int, "
        "stage text, start_date date, end_date date, category text, official_id bigint, lead_id bigint, "
        "lead_organisation_id bigint, provider_ids bigint[], provider_organisation_ids bigint[]) ON COMMIT DROP"
    )
    rows = []
    for plan, project in zip(plans, projects, strict=True):
        lead, *providers = participations[project.pk]
        rows.append(
            (
                project.pk,
                project.community_id,
                plan.community,
                plan.position,
                plan.stage,
                plan.start_date,
                plan.end_date,
                plan.item.category.code,
                d.user_ids[d.official_username(plan.community)],
                lead.pk,
                lead.organisation_id,
                [p.pk for p in providers],
                [p.organisation_id for p in providers],
            )
        )
    copy_rows(
        "district_project",
        (
            "id",
            "community_id",
            "community",
            "position",
            "stage",
            "start_date",
            "end_date",
            "category",
            "official_id",
            "lead_id",
            "lead_organisation_id",
            "provider_ids",
            "provider_organisation_ids",
        ),
        rows,
    )
    execute("ANALYZE district_project")


def seed_tasks(d: District) -> int:
    return execute(
        f"""
        INSERT INTO {table(Task)} (project_id, code, title, kind, description, area_m2, location, care_standard,
            capacity, active_claims, period_start, period_end, checkin_interval_days, missed_checkins_allowed,
            hours_per_checkin, status)
        SELECT p.id, 'T' || lpad(n::text, 2, '0'),
            CASE WHEN p.category = 'environment' THEN '绿地认领 ' || n || ' 号地块' ELSE '志愿服务岗 ' || n END,
            CASE WHEN p.category = 'environment' THEN %(plot)s WHEN n %% 2 = 0 THEN %(visiting)s ELSE %(cleaning)s END,
            '', CASE WHEN p.category = 'environment' THEN 80 + (n * 13) %% 120 END, '', '每周至少到岗一次。',
            %(capacity)s, 0, p.start_date, COALESCE(p.end_date, %(today)s::date + 365), %(interval)s, %(allowed)s, 1.0,
            CASE WHEN p.stage = 'operation' THEN 'open' ELSE 'closed' END
        FROM district_project p CROSS JOIN generate_series(1, %(per)s) AS n
        WHERE p.stage <> 'design'
    """,
        {
            "plot": TaskKind.GREEN_PLOT,
            "visiting": TaskKind.VISITING,
            "cleaning": TaskKind.CLEANING,
            "capacity": TASK_CAPACITY,
            "today": d.today,
            "interval": CHECKIN_INTERVAL_DAYS,
            "allowed": MISSED_CHECKINS_ALLOWED,
            "per": d.plan.tasks_per_project,
        },
    )


def seed_claims(d: District) -> int:
    """Two or three residents of the community per task. Running projects' claims are mostly active
    and checked in this week; one in twenty stopped a month ago (the job lapses it), one in twenty
    was released. Claims on finished projects completed at the project's end."""
    claimed = execute(
        f"""
        INSERT INTO {table(Claim)} (task_id, resident_id, status, claimed_at, ended_at, last_checkin_on)
        SELECT t.id, r.id, shape.status, now(), shape.ended_at, shape.last_checkin_on
        FROM {table(Task)} t
        JOIN district_project p ON p.id = t.project_id
        CROSS JOIN generate_series(0, 1 + t.id::int %% 2) AS j
        JOIN district_resident r ON r.community_id = p.community_id
            AND r.position = ((p.position * 131 + substr(t.code, 2)::int * 3 + j) * 7) %% %(residents)s
        CROSS JOIN LATERAL (SELECT (t.id::int * 7 + j * 3) %% 20 AS bucket) AS b
        CROSS JOIN LATERAL (SELECT
            CASE WHEN p.stage <> 'operation' THEN 'completed' WHEN b.bucket = 1 THEN 'released' ELSE 'active' END
                AS status,
            CASE WHEN p.stage <> 'operation' THEN p.end_date
                 WHEN b.bucket = 0 THEN %(today)s::date - 30 - j
                 WHEN b.bucket = 1 THEN %(today)s::date - 60 - j
                 ELSE %(today)s::date - (t.id::int + j) %% 5 END AS last_checkin_on,
            CASE WHEN p.stage <> 'operation' THEN (p.end_date + time '18:00')::timestamptz
                 WHEN b.bucket = 1 THEN (%(today)s::date - 55 + time '18:00')::timestamptz END AS ended_at
        ) AS shape
    """,
        {"residents": d.plan.residents_per_community, "today": d.today},
    )
    # Claimed two days before the first check-in; 20 to 30 check-ins a week apart.
    execute(f"""
        UPDATE {table(Claim)} c
        SET claimed_at = (c.last_checkin_on - (7 * (19 + c.id::int %% 11) + 2) + time '10:00')::timestamptz
        FROM {table(Task)} t JOIN district_project p ON p.id = t.project_id WHERE t.id = c.task_id
    """)
    execute(f"""
        UPDATE {table(Task)} t SET active_claims = counted.n
        FROM (SELECT c.task_id, count(*) AS n FROM {table(Claim)} c JOIN {table(Task)} t2 ON t2.id = c.task_id
              JOIN district_project p ON p.id = t2.project_id WHERE c.status = 'active' GROUP BY c.task_id) AS counted
        WHERE t.id = counted.task_id
    """)
    return claimed


def seed_checkins(d: District) -> int:
    return execute(f"""
        INSERT INTO {table(CheckIn)} (claim_id, "on", note, photo, hours, created_at)
        SELECT c.id, c.last_checkin_on - 7 * k, CASE WHEN k %% 4 = 0 THEN '浇水、除草。' ELSE '' END, '', 1.0,
            LEAST((c.last_checkin_on - 7 * k + time '10:00')::timestamptz, now() - interval '5 minutes')
        FROM {table(Claim)} c
        JOIN {table(Task)} t ON t.id = c.task_id
        JOIN district_project p ON p.id = t.project_id
        CROSS JOIN generate_series(0, 19 + c.id::int %% 11) AS k
    """)
