"""The responsibility matrix through the duty services: one accountable party, R/C/I parties, completions.

A duty is created due on its first occurrence the demo completes, and each completion moves it
on to the next, exactly as duty_complete does when staff record their evidence; what the demo
leaves uncompleted is what is overdue now.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from accountability.models import Duty, Recurrence
from accountability.services.duties import duty_complete, duty_create
from coproduction.models import ParticipationRole, Stage
from demo.clock import backdate
from demo.context import Seeding, add_months
from demo.people import org_user
from demo.projects import community_official

LEAD, PROVIDER, CO_FUNDER, VOLUNTEERS, FACILITY = (
    ParticipationRole.LEAD,
    ParticipationRole.PROVIDER,
    ParticipationRole.CO_FUNDER,
    ParticipationRole.VOLUNTEER_GROUP,
    ParticipationRole.FACILITY_OWNER,
)
ONCE, WEEKLY, MONTHLY, QUARTERLY = Recurrence.ONCE, Recurrence.WEEKLY, Recurrence.MONTHLY, Recurrence.QUARTERLY
COMPLETIONS_KEPT = 6


@dataclass(frozen=True)
class DutyPlan:
    title: str
    accountable: tuple  # (organisation key, participation role)
    recurrence: str
    responsible: tuple = ()
    consulted: tuple = ()
    informed: tuple = ()
    overdue: bool = False  # the latest occurrence was missed and the duty is still active
    due_in: int | None = None  # once-duties: days from today (negative: past)
    done: bool = False
    description: str = ""


REPORT = "提交月度服务报告"

DUTIES = {
    "houtai_green": (
        DutyPlan(
            "地块认领月度巡查",
            ("houtai_rc", LEAD),
            MONTHLY,
            responsible=(("houtai_green", VOLUNTEERS),),
            consulted=(("lvyin", PROVIDER),),
            informed=(("zhongbei_gov", CO_FUNDER),),
            description="逐块检查养护情况，对连续未打卡的地块提醒认领人或收回。",
        ),
        DutyPlan(
            "养护技术季度培训",
            ("lvyin", PROVIDER),
            QUARTERLY,
            responsible=(("lvyin", PROVIDER),),
            informed=(("houtai_rc", LEAD), ("houtai_green", VOLUNTEERS)),
        ),
        DutyPlan(
            REPORT, ("lvyin", PROVIDER), MONTHLY, responsible=(("lvyin", PROVIDER),), consulted=(("houtai_rc", LEAD),)
        ),
    ),
    "houtai_dining": (
        DutyPlan(
            "每周菜谱公示",
            ("jinweifang", PROVIDER),
            WEEKLY,
            responsible=(("jinweifang", PROVIDER),),
            consulted=(("houtai_elders", VOLUNTEERS),),
            informed=(("houtai_rc", LEAD),),
        ),
        DutyPlan(
            REPORT,
            ("jinweifang", PROVIDER),
            MONTHLY,
            responsible=(("jinweifang", PROVIDER),),
            consulted=(("houtai_rc", LEAD),),
            informed=(("zhongbei_gov", CO_FUNDER),),
        ),
        DutyPlan(
            "厨房设备季度维护",
            ("houtai_rc", FACILITY),
            QUARTERLY,
            responsible=(("jinweifang", PROVIDER),),
            informed=(("houtai_rc", LEAD),),
            overdue=True,
            description="排烟、燃气和冷链设备由产权方组织检修，运营方配合。",
        ),
        DutyPlan(
            "助餐补贴季度拨付",
            ("zhongbei_gov", CO_FUNDER),
            QUARTERLY,
            responsible=(("zhongbei_gov", CO_FUNDER),),
            informed=(("jinweifang", PROVIDER), ("houtai_rc", LEAD)),
            overdue=True,
            description="按核定就餐人次拨付补贴；拨付迟延会加重运营方亏损。",
        ),
        DutyPlan(
            "食品安全月度自查",
            ("jinweifang", PROVIDER),
            MONTHLY,
            responsible=(("jinweifang", PROVIDER),),
            consulted=(("houtai_elders", VOLUNTEERS),),
        ),
    ),
    "houtai_visits": (
        DutyPlan(
            "每周探访记录归档",
            ("qiming", PROVIDER),
            WEEKLY,
            responsible=(("houtai_silver", VOLUNTEERS),),
            informed=(("houtai_rc", CO_FUNDER),),
            done=True,
        ),
        DutyPlan(
            "提交结项报告",
            ("qiming", LEAD),
            ONCE,
            consulted=(("houtai_rc", CO_FUNDER),),
            informed=(("charity", CO_FUNDER),),
            due_in=-5,
            overdue=True,
        ),
    ),
    "houtai_daycare": (
        DutyPlan(
            "完成需求调研报告",
            ("houtai_rc", LEAD),
            ONCE,
            responsible=(("houtai_elders", VOLUNTEERS),),
            due_in=-60,
            done=True,
        ),
        DutyPlan(
            "制定运营方遴选方案",
            ("houtai_rc", LEAD),
            ONCE,
            consulted=(("xiqing_civil", CO_FUNDER),),
            due_in=-15,
            done=True,
        ),
        DutyPlan(
            "场地适老化改造设计", ("houtai_rc", FACILITY), ONCE, consulted=(("xiqing_civil", CO_FUNDER),), due_in=30
        ),
    ),
    "houtai_afterschool": (
        DutyPlan("每周接送登记核查", ("chengzhang", PROVIDER), WEEKLY, informed=(("houtai_rc", CO_FUNDER),), done=True),
        DutyPlan(
            "提交结项报告", ("chengzhang", LEAD), ONCE, consulted=(("houtai_rc", CO_FUNDER),), due_in=-140, done=True
        ),
    ),
    "huayuan_dining_pilot": (
        DutyPlan(
            "制定供餐方案和运营方遴选计划",
            ("huayuan_rc", LEAD),
            ONCE,
            consulted=(("zhongbei_gov", CO_FUNDER),),
            due_in=20,
        ),
    ),
    "huayuan_health": (
        DutyPlan(
            "体检报告15日内送达",
            ("zhongbei_health", LEAD),
            MONTHLY,
            responsible=(("kangtai", PROVIDER),),
            informed=(("huayuan_women", VOLUNTEERS),),
        ),
        DutyPlan(
            REPORT,
            ("kangtai", PROVIDER),
            MONTHLY,
            responsible=(("kangtai", PROVIDER),),
            consulted=(("zhongbei_health", LEAD),),
        ),
    ),
    "huayuan_sanitation": (
        DutyPlan(
            "垃圾分类月度检查",
            ("jiecheng", PROVIDER),
            MONTHLY,
            responsible=(("jiecheng", PROVIDER),),
            consulted=(("huayuan_rc", LEAD),),
            informed=(("xiqing_urban", CO_FUNDER),),
            overdue=True,
        ),
        DutyPlan(
            REPORT,
            ("jiecheng", PROVIDER),
            MONTHLY,
            responsible=(("jiecheng", PROVIDER),),
            consulted=(("huayuan_rc", LEAD),),
        ),
        DutyPlan("保洁质量周巡查", ("huayuan_rc", LEAD), WEEKLY, responsible=(("huayuan_women", VOLUNTEERS),)),
    ),
    "huayuan_housekeeping": (
        DutyPlan("服务价格季度公示", ("haobangshou", LEAD), QUARTERLY, informed=(("huayuan_rc", FACILITY),)),
        DutyPlan(REPORT, ("haobangshou", PROVIDER), MONTHLY, consulted=(("huayuan_rc", FACILITY),)),
    ),
    "fushengli_disability": (
        DutyPlan(
            "康复训练记录月度归档", ("yangguang", PROVIDER), MONTHLY, informed=(("xiqing_civil", CO_FUNDER),), done=True
        ),
        DutyPlan(
            "提交结项报告",
            ("yangguang", LEAD),
            ONCE,
            consulted=(("fushengli_rc", FACILITY),),
            informed=(("xiqing_civil", CO_FUNDER),),
            due_in=10,
        ),
    ),
    "fushengli_legal": (
        DutyPlan("律师坐班签到", ("gongyi_law", PROVIDER), WEEKLY, informed=(("fushengli_rc", LEAD),), done=True),
        DutyPlan(
            "法律服务季度总结",
            ("fushengli_rc", LEAD),
            QUARTERLY,
            responsible=(("gongyi_law", PROVIDER),),
            consulted=(("fushengli_council", VOLUNTEERS),),
            done=True,
        ),
    ),
    "fushengli_culture": (
        DutyPlan("制定活动季方案", ("fushengli_rc", LEAD), ONCE, consulted=(("zhongbei_gov", CO_FUNDER),), due_in=10),
    ),
    "fushengli_repair": (
        DutyPlan(
            "报修响应月度统计",
            ("anju", LEAD),
            MONTHLY,
            responsible=(("jiangxin", PROVIDER),),
            consulted=(("fushengli_council", VOLUNTEERS),),
        ),
        DutyPlan(
            REPORT, ("jiangxin", PROVIDER), MONTHLY, responsible=(("jiangxin", PROVIDER),), informed=(("anju", LEAD),)
        ),
    ),
}


def extra_duties(s: Seeding, project_key: str) -> tuple:
    """Duties of the generated projects in extra communities: a report and a safety check each."""
    plan = s.plans[project_key]
    reporter = next((part for part in plan.parts if part.role == PROVIDER), plan.parts[0])
    lead = next(part for part in plan.parts if part.role == LEAD)
    return (
        DutyPlan(REPORT, (reporter.org, reporter.role), MONTHLY, responsible=((reporter.org, reporter.role),)),
        DutyPlan("季度安全检查", (lead.org, LEAD), QUARTERLY, overdue=project_key.endswith("_sanitation")),
    )


def step(day: date, recurrence: str) -> date:
    if recurrence == WEEKLY:
        return day + timedelta(days=7)
    return add_months(day, 3 if recurrence == QUARTERLY else 1)


def occurrences(start: date, until: date, recurrence: str) -> list[date]:
    """Due dates of a recurring duty from the project start up to and including the first after `until`."""
    days, day = [], step(start, recurrence)
    while True:
        days.append(day)
        if day > until:
            return days
        day = step(day, recurrence)


def schedule(s: Seeding, plan: DutyPlan, start: date, end: date) -> tuple[date, list[date]]:
    """(first occurrence the demo deals with, the occurrences completed) for a project that ran from start to end.

    The completed occurrences are consecutive, so completing them in turn leaves the duty due on
    its next one: today's or a later one, or, for an overdue duty, the one that was missed.
    """
    if plan.recurrence == ONCE:
        due = s.days_ahead(plan.due_in or 0)
        return due, [due] if plan.done else []
    if plan.done:
        days = [day for day in occurrences(start, end, plan.recurrence) if day <= end]
        return days[-COMPLETIONS_KEPT:][0], days[-COMPLETIONS_KEPT:]
    days = occurrences(start, s.today, plan.recurrence)
    past = [day for day in days if day < s.today]
    if plan.overdue and past:
        # Missed the latest occurrence (at least a couple of days ago) and nothing since.
        missed = past[-1] if past[-1] <= s.days_ago(2) or len(past) == 1 else past[-2]
        completed = [day for day in past if day < missed][-COMPLETIONS_KEPT:]
        return (completed or [missed])[0], completed
    completed = past[-COMPLETIONS_KEPT:]
    return (completed or days[-1:])[0], completed


EVIDENCE = ("签字记录和照片已上传", "台账已归档，见附件", "会议纪要已存档", "现场检查表已签字", "公示照片已存档")


def seed_duties(s: Seeding) -> None:
    for project_key, project in s.projects.items():
        plans = DUTIES.get(project_key) or extra_duties(s, project_key)
        if s.plans[project_key].stage == Stage.DESIGN:
            start = end = s.today
        else:
            start, end = project.start_date, project.end_date
        existing = set(Duty.objects.filter(project=project).values_list("title", flat=True))
        for plan in plans:
            if plan.title not in existing:
                seed_duty(s, project_key, project, plan, start, end)


def seed_duty(s: Seeding, project_key: str, project, plan: DutyPlan, start: date, end: date) -> None:
    first_due, completed = schedule(s, plan, start, end)
    parties = {
        field: [s.participation(project_key, org_key, role) for org_key, role in plan_parties]
        for field, plan_parties in (
            ("responsible", plan.responsible),
            ("consulted", plan.consulted),
            ("informed", plan.informed),
        )
    }
    duty = duty_create(
        project=project,
        title=plan.title,
        description=plan.description,
        recurrence=plan.recurrence,
        accountable=s.participation(project_key, *plan.accountable),
        next_due_on=first_due,
        user=community_official(s, s.plans[project_key]),
        **parties,
    )
    backdate(duty, created_at=s.at(min(start, first_due, s.today) - timedelta(days=7), 10))
    rng = s.rng("duty", project_key, plan.title)
    completer = org_user(s, plan.accountable[0])
    for due_on in completed:
        completion = duty_complete(
            duty=duty,
            user=completer,
            due_on=due_on,
            evidence=f"{plan.title}（{due_on:%Y-%m-%d}）已完成：{rng.choice(EVIDENCE)}。",
        )
        backdate(
            completion,
            completed_at=s.at(min(due_on - timedelta(days=rng.randint(0, 2)), s.today), 16, rng.randint(0, 59)),
        )
