"""Demo selection through the selection services: calls, conflicts, applications, scored reviews, one award.

A call is opened with a deadline at least the minimum application window ahead (call_open refuses
any sooner), applications come in before it, and only then is the deadline moved back to the day
the demo says it closed, so that reviews and the award can follow as they would after a real
deadline. Each call is on a project of its own: a project has one call under way at a time.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coproduction.models import Application, Call, CallStatus, ConflictDeclaration, Review
from coproduction.services.selection import (
    application_submit,
    call_award,
    call_open,
    conflict_declare,
    earliest_deadline,
    review_submit,
)
from demo.clock import backdate
from demo.context import Seeding
from demo.people import org_manager
from demo.projects import add_contributions, joined_on


@dataclass(frozen=True)
class CallPlan:
    key: str
    project: str
    title: str
    description: str
    status: str
    criteria: tuple  # (name, description, weight); weights add up to 100
    # (organisation key, quality 0..100 around which reviewers score, proposed budget, proposal)
    applicants: tuple
    reviewers: tuple = ("zhongbei_official", "houtai_official")  # officials over the project's community
    winner: str | None = None
    award_reason: str = ""
    # (reviewer, organisation, reason): a declared interest that keeps the reviewer off that application
    conflict: tuple[str, str, str] | None = None


CALLS = (
    CallPlan(
        "dining",
        "houtai_dining",
        "后台社区老年食堂运营方遴选",
        "面向具备食品经营资质的企业和社会组织，遴选老年食堂运营方，服务期三年，专用厨房由运营方按工艺改造。",
        CallStatus.AWARDED,
        (
            ("服务方案与菜品质量", "菜谱、营养搭配和送餐方案", 30),
            ("食品安全管理", "留样、晨检、追溯制度", 25),
            ("运营经验与资质", "同类项目业绩和证照", 20),
            ("报价与补贴需求", "每餐价格和所需补贴", 15),
            ("老年人参与机制", "老年协会监督和意见反馈", 10),
        ),
        (
            ("jinweifang", 88, 352000, "中央厨房配送+现场加工，每日两餐，三年运营方案和食品安全追溯体系。"),
            ("lelinyang", 76, 465000, "依托日间照料经验，提供助餐与健康饮食指导。"),
            ("xiyanghong", 71, 380000, "发动老年志愿者参与帮厨和送餐，降低人工成本。"),
        ),
        winner="jinweifang",
        award_reason="加权总分最高，食品安全管理体系完备，具备中央厨房和送餐能力；报价在预算范围内。",
    ),
    CallPlan(
        "daycare",
        "houtai_daycare",
        "后台社区日间照料中心运营方遴选",
        "遴选日间照料中心运营方，政府提供场地和建设补助，运营方负责适老化设施配置和日常运营，服务期三年。",
        CallStatus.OPEN,
        (
            ("照料服务方案", "日托、康复、助浴等服务设计", 35),
            ("专业团队", "护理员和康复师配置", 25),
            ("运营可持续性", "收支测算和风险应对", 20),
            ("收费与补贴方案", "收费标准和困难老人减免", 10),
            ("居民参与", "家属和志愿者参与机制", 10),
        ),
        (
            ("lelinyang", 80, 348000, "连锁化运营，配备康复师和持证护理员，提供日托和助浴。"),
            ("qiming", 78, 326000, "社工+护理双团队，链接银龄志愿者和家属支持小组。"),
        ),
    ),
    CallPlan(
        "culture",
        "fushengli_culture",
        "阜盛里社区文体活动季承办方遴选",
        "遴选全年文体活动承办方，每周不少于3场活动，面向全体居民免费。",
        CallStatus.REVIEWING,
        (
            ("活动方案", "活动内容、频次和安全预案", 40),
            ("组织能力", "团队和过往活动", 30),
            ("居民覆盖面", "参与人群和宣传方式", 20),
            ("经费预算", "预算合理性", 10),
        ),
        (
            ("wenti", 84, 48000, "广场舞、太极、合唱、书法四条主线，每周4场。"),
            ("volunteers", 73, 42000, "志愿者带队，结合节庆组织主题活动。"),
            ("fushengli_council", 70, 20000, "楼门长牵头，居民自编自演。"),
        ),
        # Reviewers must hold a post over the project's community; the district official steps in
        # where the community's own official declared a conflict.
        reviewers=("zhongbei_official", "fushengli_official", "xiqing_official"),
        conflict=("fushengli_official", "fushengli_council", "本人为该议事会的指导人，存在利害关系。"),
    ),
)

for _plan in CALLS:  # a guard for whoever edits the weights above
    assert sum(weight for _name, _description, weight in _plan.criteria) == 100, _plan.key
# call_open refuses a second call under way on a project.
assert len({_plan.project for _plan in CALLS}) == len(CALLS), "one call per project"


def call_dates(s: Seeding, plan: CallPlan):
    """When the call opened and closed: before the project started, or around today for a current call."""
    if plan.status == CallStatus.OPEN:
        return s.days_ago(10), s.days_ahead(14)
    if plan.status == CallStatus.REVIEWING:
        return s.days_ago(40), s.days_ago(8)
    start = s.projects[plan.project].start_date
    return start - timedelta(days=75), start - timedelta(days=45)


def seed_selection(s: Seeding) -> None:
    for plan in CALLS:
        opened_on, deadline = call_dates(s, plan)
        call = Call.objects.filter(project=s.projects[plan.project], title=plan.title).first()
        if call is None:
            call = open_call(s, plan, opened_on, deadline)
        applications = {
            org_key: apply(s, plan, call, number, org_key, budget, proposal, deadline)
            for number, (org_key, _quality, budget, proposal) in enumerate(plan.applicants)
        }
        if plan.status == CallStatus.OPEN:
            continue  # reviewing starts after the deadline
        if call.deadline > timezone.now():
            backdate(call, deadline=s.at(deadline, 17, 30))
        if plan.conflict:
            declare_conflict(s, plan.conflict, call)
        conflicted = {plan.conflict[:2]} if plan.conflict else set()
        for org_key, quality, *_ in plan.applicants:
            reviewers = [name for name in plan.reviewers if (name, org_key) not in conflicted][:2]
            for reviewer in reviewers:
                review(s, plan, applications[org_key], org_key, reviewer, quality, deadline)
        if plan.status == CallStatus.AWARDED:
            award(s, plan, call, applications[plan.winner], deadline)


def open_call(s: Seeding, plan: CallPlan, opened_on, deadline) -> Call:
    # A current call keeps its real deadline where the minimum window allows it; a past one opens
    # with the shortest window allowed and is backdated once its applications are in.
    deadline_allowed = earliest_deadline() + timedelta(hours=1)
    call = call_open(
        project=s.projects[plan.project],
        title=plan.title,
        description=plan.description,
        deadline=max(s.at(deadline, 17, 30), deadline_allowed),
        criteria=[(name, weight, description) for name, description, weight in plan.criteria],
        user=s.users["zhongbei_official"],
    )
    backdate(call, opened_at=s.at(opened_on, 9))
    return call


def apply(s: Seeding, plan: CallPlan, call: Call, number: int, org_key: str, budget, proposal, deadline):
    organisation = s.organisations[org_key]
    application = Application.objects.filter(call=call, organisation=organisation).first()
    if application is None:
        application = application_submit(
            call=call,
            organisation=organisation,
            user=org_manager(s, org_key),
            proposal=proposal,
            proposed_budget=Decimal(budget),
        )
        backdate(application, submitted_at=s.at(min(deadline, s.today) - timedelta(days=3 + 4 * number), 15))
    return application


def declare_conflict(s: Seeding, conflict: tuple[str, str, str], call: Call) -> None:
    reviewer, org_key, reason = conflict
    organisation = s.organisations[org_key]
    if ConflictDeclaration.objects.filter(reviewer=s.users[reviewer], organisation=organisation, call=call).exists():
        return
    declaration = conflict_declare(reviewer=s.users[reviewer], organisation=organisation, call=call, reason=reason)
    backdate(declaration, declared_at=call.deadline + timedelta(hours=16))


def review(s: Seeding, plan: CallPlan, application, org_key: str, reviewer: str, quality: int, deadline) -> None:
    rng = s.rng("review", plan.key, org_key, reviewer)
    scores = {
        criterion.pk: max(0, min(100, quality + rng.randint(-4, 4)))
        for criterion in application.call.criteria.order_by("pk")
    }
    comment = rng.choice(
        ("方案完整，可操作性强。", "团队经验较丰富，预算略高。", "需补充安全预案细节。", "居民参与设计有亮点。")
    )
    if Review.objects.filter(application=application, reviewer=s.users[reviewer]).exists():
        return
    done = review_submit(application=application, reviewer=s.users[reviewer], scores=scores, comment=comment)
    backdate(done, submitted_at=s.at(deadline + timedelta(days=2), 11))


def award(s: Seeding, plan: CallPlan, call: Call, winner: Application, deadline) -> None:
    """The award makes the winner a provider of the project; its pledged contributions follow."""
    call.refresh_from_db()
    if call.status != CallStatus.AWARDED:
        call = call_award(call=call, application=winner, user=s.users["zhongbei_official"], reason=plan.award_reason)
        backdate(call, awarded_at=s.at(deadline + timedelta(days=20), 16))
    project_plan = s.plans[plan.project]
    for part in project_plan.parts:
        if part.awarded and part.org == plan.winner:
            participation = s.projects[plan.project].participations.get(
                organisation=s.organisations[part.org], role=part.role
            )
            if participation.joined_on > joined_on(s, project_plan):
                backdate(participation, joined_on=joined_on(s, project_plan))
            s.participations[(plan.project, part.org, part.role)] = participation
            add_contributions(s, project_plan, part, participation)
