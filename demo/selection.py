"""Demo selection: calls for partners with weighted criteria, applications, scored reviews, one award."""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coproduction.models import (
    Application, ApplicationStatus, Call, CallStatus, ConflictDeclaration, Criterion, Review, ReviewScore,
)

from .context import Seeding, backdate, money
from .people import org_user


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
    conflict: tuple | None = None


CALLS = (
    CallPlan(
        "dining", "houtai_dining", "后台社区老年食堂运营方遴选",
        "面向具备食品经营资质的企业和社会组织，遴选老年食堂运营方，服务期三年，专用厨房由运营方按工艺改造。",
        CallStatus.AWARDED,
        (("服务方案与菜品质量", "菜谱、营养搭配和送餐方案", 30), ("食品安全管理", "留样、晨检、追溯制度", 25),
         ("运营经验与资质", "同类项目业绩和证照", 20), ("报价与补贴需求", "每餐价格和所需补贴", 15),
         ("老年人参与机制", "老年协会监督和意见反馈", 10)),
        (("jinweifang", 88, 420000, "中央厨房配送+现场加工，每日两餐，三年运营方案和食品安全追溯体系。"),
         ("lelinyang", 76, 465000, "依托日间照料经验，提供助餐与健康饮食指导。"),
         ("xiyanghong", 71, 380000, "发动老年志愿者参与帮厨和送餐，降低人工成本。")),
        winner="jinweifang",
        award_reason="加权总分最高，食品安全管理体系完备，具备中央厨房和送餐能力；报价在预算范围内。",
    ),
    CallPlan(
        "daycare", "houtai_daycare", "后台社区日间照料中心运营方遴选",
        "遴选日间照料中心运营方，政府提供场地和建设补助，运营方负责适老化设施配置和日常运营，服务期三年。",
        CallStatus.OPEN,
        (("照料服务方案", "日托、康复、助浴等服务设计", 35), ("专业团队", "护理员和康复师配置", 25),
         ("运营可持续性", "收支测算和风险应对", 20), ("收费与补贴方案", "收费标准和困难老人减免", 10),
         ("居民参与", "家属和志愿者参与机制", 10)),
        (("lelinyang", 80, 980000, "连锁化运营，配备康复师和持证护理员，提供日托和助浴。"),
         ("qiming", 78, 860000, "社工+护理双团队，链接银龄志愿者和家属支持小组。")),
    ),
    CallPlan(
        "culture", "fushengli_culture", "阜盛里社区文体活动季承办方遴选",
        "遴选全年文体活动承办方，每周不少于3场活动，面向全体居民免费。",
        CallStatus.REVIEWING,
        (("活动方案", "活动内容、频次和安全预案", 40), ("组织能力", "团队和过往活动", 30),
         ("居民覆盖面", "参与人群和宣传方式", 20), ("经费预算", "预算合理性", 10)),
        (("wenti", 84, 48000, "广场舞、太极、合唱、书法四条主线，每周4场。"),
         ("volunteers", 73, 42000, "志愿者带队，结合节庆组织主题活动。"),
         ("fushengli_council", 70, 20000, "楼门长牵头，居民自编自演。")),
        # Reviewers must hold a post over the project's community; the district official steps in
        # where the community's own official declared a conflict.
        reviewers=("zhongbei_official", "fushengli_official", "xiqing_official"),
        conflict=("fushengli_official", "fushengli_council", "本人为该议事会的指导人，存在利害关系。"),
    ),
)

for _plan in CALLS:  # a guard for whoever edits the weights above
    assert sum(weight for _name, _description, weight in _plan.criteria) == 100, _plan.key


def call_dates(s: Seeding, plan: CallPlan):
    """When the call opened and closed: before the project started, or around today for a current call."""
    if plan.status == CallStatus.OPEN:
        return s.days_ago(10), s.days_ahead(14)
    if plan.status == CallStatus.REVIEWING:
        return s.days_ago(40), s.days_ago(8)
    start = s.projects[plan.project].start_date
    return start - timedelta(days=75), start - timedelta(days=45)


def weighted_total(scores: dict, criteria: dict) -> Decimal:
    return money(sum(Decimal(score) * criteria[name].weight for name, score in scores.items()) / 100)


def seed_selection(s: Seeding) -> None:
    for plan in CALLS:
        opened_on, deadline = call_dates(s, plan)
        call, created = Call.objects.get_or_create(
            project=s.projects[plan.project], title=plan.title,
            defaults={
                "description": plan.description, "deadline": s.at(deadline, 17, 30),
                "status": CallStatus.REVIEWING if plan.status == CallStatus.AWARDED else plan.status,
                "opened_by": s.users["zhongbei_official"],
            },
        )
        if created:
            backdate(call, opened_at=s.at(opened_on, 9))
        elif plan.status == CallStatus.OPEN and call.status == CallStatus.OPEN and call.deadline <= timezone.now():
            # Run again weeks later, the demo still has a call that partners can apply to.
            call.deadline = s.at(deadline, 17, 30)
            call.save(update_fields=["deadline"])
        criteria = {}
        for name, description, weight in plan.criteria:
            criteria[name], _ = Criterion.objects.get_or_create(
                call=call, name=name, defaults={"description": description, "weight": weight}
            )

        conflicted = set()
        if plan.conflict:
            reviewer, org_key, reason = plan.conflict
            ConflictDeclaration.objects.get_or_create(
                reviewer=s.users[reviewer], organisation=s.organisations[org_key], call=call,
                defaults={"reason": reason},
            )
            conflicted.add((reviewer, org_key))

        applications = {}
        for number, (org_key, quality, budget, proposal) in enumerate(plan.applicants):
            application, created = Application.objects.get_or_create(
                call=call, organisation=s.organisations[org_key],
                defaults={"submitted_by": org_user(s, org_key), "proposal": proposal,
                          "proposed_budget": Decimal(budget)},
            )
            if created:
                backdate(application, submitted_at=s.at(min(deadline, s.today) - timedelta(days=3 + 4 * number), 15))
            applications[org_key] = application
            if plan.status == CallStatus.OPEN:
                continue  # reviewing starts after the deadline
            reviewers = [name for name in plan.reviewers if (name, org_key) not in conflicted][:2]
            for reviewer in reviewers:
                review_score(s, plan, application, org_key, reviewer, quality, criteria, deadline)

        if plan.status == CallStatus.AWARDED and call.status != CallStatus.AWARDED:
            award(s, plan, call, applications, deadline)


def review_score(
    s: Seeding, plan: CallPlan, application, org_key: str, reviewer: str, quality: int, criteria: dict, deadline,
) -> None:
    rng = s.rng("review", plan.key, org_key, reviewer)
    scores = {name: max(0, min(100, quality + rng.randint(-4, 4))) for name in criteria}
    review, created = Review.objects.get_or_create(
        application=application, reviewer=s.users[reviewer],
        defaults={"total": weighted_total(scores, criteria), "comment": rng.choice((
            "方案完整，可操作性强。", "团队经验较丰富，预算略高。", "需补充安全预案细节。", "居民参与设计有亮点。",
        ))},
    )
    if created:
        backdate(review, submitted_at=s.at(deadline + timedelta(days=2), 11))
        ReviewScore.objects.bulk_create(
            [ReviewScore(review=review, criterion=criteria[name], score=score) for name, score in scores.items()]
        )


def award(s: Seeding, plan: CallPlan, call: Call, applications: dict, deadline) -> None:
    winner = applications[plan.winner]
    for org_key, application in applications.items():
        application.status = ApplicationStatus.AWARDED if org_key == plan.winner else ApplicationStatus.NOT_AWARDED
        application.save(update_fields=["status"])
    call.status = CallStatus.AWARDED
    call.awarded_application = winner
    call.award_reason = plan.award_reason
    call.awarded_by = s.users["zhongbei_official"]
    call.awarded_at = s.at(deadline + timedelta(days=20), 16)
    call.save(update_fields=["status", "awarded_application", "award_reason", "awarded_by", "awarded_at"])
