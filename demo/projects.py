"""Demo projects in every stage and mode: participations, valued contributions, the authority judgement, needs.

Projects are set up in design; lifecycle.py then moves them through the lifecycle service.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from common.actors import TRUSTED
from coproduction.models import (
    Contribution,
    ContributionKind,
    GovernanceLevel,
    Mode,
    Need,
    NeedStatus,
    Participation,
    ParticipationRole,
    Project,
    Stage,
)
from coproduction.services.needs import need_answer
from coproduction.services.projects import contribution_add, project_set_authority
from demo.clock import backdate
from demo.context import Seeding, add_months
from demo.territory import extra_community_keys

HIGH, LOW = GovernanceLevel.HIGH, GovernanceLevel.LOW
LEAD, PROVIDER, CO_FUNDER, VOLUNTEERS, FACILITY = (
    ParticipationRole.LEAD,
    ParticipationRole.PROVIDER,
    ParticipationRole.CO_FUNDER,
    ParticipationRole.VOLUNTEER_GROUP,
    ParticipationRole.FACILITY_OWNER,
)
MONEY, LABOUR, FACILITY_KIND, TECHNOLOGY, MATERIALS = (
    ContributionKind.MONEY,
    ContributionKind.LABOUR_HOURS,
    ContributionKind.FACILITY,
    ContributionKind.TECHNOLOGY,
    ContributionKind.MATERIALS,
)


@dataclass(frozen=True)
class Part:
    org: str
    role: str
    # (kind, value in yuan, description, quantity, unit)
    contributions: tuple = ()
    # Joins through the award of a call (selection.py), not as set up in design.
    awarded: bool = False


@dataclass(frozen=True)
class Economics:
    """What a month of service costs and brings in, for the service reports."""

    monthly_cost: int
    income_share: float
    subsidy_share: float
    people: int
    units: int


@dataclass(frozen=True)
class ProjectPlan:
    key: str
    community: str
    item: str
    name: str
    stage: str
    start: int  # days from today; negative is in the past
    months: int
    authority: str
    reason: str
    parts: tuple
    mode: str  # what the governance authority and the contributions should yield
    description: str = ""
    economics: Economics | None = None
    satisfaction: float = 4.0  # mean resident rating, 1..5
    quality: int = 85  # how an evaluator judges the work, 0..100, where the data say nothing


def labour(hours: int, description: str, rate: int = 25) -> tuple:
    """Volunteer and staff hours valued at a flat hourly rate, so they weigh against money."""
    return (LABOUR, hours * rate, f"{description}（按{rate}元/小时折算）", hours, "小时")


BASE_PROJECTS = (
    ProjectPlan(
        "houtai_green",
        "houtai",
        "green-space",
        "后台社区绿地认领",
        Stage.OPERATION,
        -200,
        24,
        HIGH,
        "居委会统一划分地块、制定养护标准和责任清单，党员带头认领，镇政府公开背书，权威高；"
        "资源主要来自居民投入的养护时间，政府投入占比低。",
        (
            Part("houtai_rc", LEAD, ((MATERIALS, 20000, "苗木、工具和地块标识牌", 1, "批"),)),
            Part("lvyin", PROVIDER, ((TECHNOLOGY, 15000, "养护技术培训和病虫害防治指导", 12, "次"),)),
            Part("houtai_green", VOLUNTEERS, (labour(2400, "居民认领养护志愿时长"),)),
            Part("zhongbei_gov", CO_FUNDER, ((MONEY, 10000, "绿地认领激励经费", 1, "年"),)),
        ),
        Mode.AUTHORITATIVE_CHARISMATIC,
        "居民按地块认领社区绿地，按养护标准定期打卡，责任到人。",
        Economics(3000, 0, 1.0, 60, 220),
        4.5,
    ),
    ProjectPlan(
        "houtai_dining",
        "houtai",
        "elderly-dining",
        "后台社区老年食堂",
        Stage.OPERATION,
        -430,
        36,
        HIGH,
        "镇政府将老年助餐列为民生实事，统一选址、改造厨房并通过遴选确定运营方。",
        (
            Part("houtai_rc", LEAD),
            Part("houtai_rc", FACILITY, ((FACILITY_KIND, 180000, "社区用房280㎡及专用厨房改造", 280, "㎡"),)),
            Part("zhongbei_gov", CO_FUNDER, ((MONEY, 120000, "助餐补贴和开办经费", 1, "年"),)),
            Part("jinweifang", PROVIDER, ((MONEY, 60000, "厨房设备和餐具投入", 1, "批"),), awarded=True),
            Part("houtai_elders", VOLUNTEERS, (labour(320, "老年协会志愿者协助就餐秩序"),)),
        ),
        Mode.ADMINISTRATIVE_ABSORPTION,
        "为60岁以上老人提供午餐和晚餐，行动不便者送餐上门。运营方反映补贴不足、长期亏损。",
        Economics(56000, 0.50, 0.24, 160, 3000),
        3.3,
        55,
    ),
    ProjectPlan(
        "houtai_visits",
        "houtai",
        "home-visits",
        "后台社区高龄独居老人居家探访",
        Stage.EVALUATION,
        -395,
        12,
        LOW,
        "由社工机构自主设计探访方案并组织志愿者，居委会仅提供名单和场地，政府权威低。",
        (
            Part("qiming", LEAD),
            Part("qiming", PROVIDER, (labour(1600, "专职社工入户探访"),)),
            Part("charity", CO_FUNDER, ((MONEY, 30000, "慈善项目资助", 1, "年"),)),
            Part("houtai_rc", CO_FUNDER, ((MONEY, 20000, "居委会公益金", 1, "年"),)),
            Part("houtai_silver", VOLUNTEERS, (labour(600, "低龄老人结对探访"),)),
        ),
        Mode.COMPLEMENTARY_ADVANTAGE,
        "社工与银龄志愿者结对，每周探访高龄独居老人并记录安全状况。",
        Economics(8000, 0, 1.0, 85, 340),
        4.6,
    ),
    ProjectPlan(
        "houtai_daycare",
        "houtai",
        "elderly-day-care",
        "后台社区日间照料中心",
        Stage.DESIGN,
        45,
        36,
        LOW,
        "运营方通过公开遴选产生并自主经营，政府不干预日常管理；但场地和建设资金主要由政府提供。",
        (
            Part("houtai_rc", LEAD),
            Part("xiqing_civil", CO_FUNDER, ((MONEY, 200000, "日间照料中心建设补助（已批复）", 1, "项"),)),
            Part("houtai_rc", FACILITY, ((FACILITY_KIND, 150000, "社区用房二层400㎡", 400, "㎡"),)),
            Part("houtai_elders", VOLUNTEERS, (labour(200, "需求调研入户志愿者"),)),
        ),
        Mode.SHARING_ASSISTED,
        "根据居民需求调研，拟建日间照料中心，正在公开遴选运营方。",
    ),
    ProjectPlan(
        "houtai_afterschool",
        "houtai",
        "after-school",
        "后台社区四点半课堂",
        Stage.CLOSED,
        -700,
        18,
        HIGH,
        "镇政府牵头协调学校和社区，镇领导和居委会主任亲自推动，权威高；经费主要来自社会组织和志愿者。",
        (
            Part("chengzhang", LEAD),
            Part("chengzhang", PROVIDER, (labour(1600, "专业教师和社工辅导"),)),
            Part("houtai_rc", CO_FUNDER, ((MONEY, 30000, "场地运行和保险经费", 1, "期"),)),
            Part("volunteers", VOLUNTEERS, (labour(400, "大学生志愿者课业辅导"),)),
        ),
        Mode.AUTHORITATIVE_CHARISMATIC,
        "上学日放学后为双职工家庭儿童提供作业辅导和看护，一期已结项。",
        Economics(9000, 0.30, 0.70, 45, 780),
        4.4,
    ),
    ProjectPlan(
        "huayuan_health",
        "huayuan",
        "health-checks",
        "中北花园社区老年人健康体检",
        Stage.OPERATION,
        -250,
        12,
        HIGH,
        "镇卫生服务中心按基本公共卫生任务统一组织，区卫健委下达指标。",
        (
            Part("zhongbei_health", LEAD, ((TECHNOLOGY, 100000, "体检设备与医护人员", 1, "年"),)),
            Part("kangtai", PROVIDER, ((TECHNOLOGY, 50000, "体检车和检验服务", 1, "年"),)),
            Part("huayuan_women", VOLUNTEERS, (labour(160, "组织老人预约与现场引导"),)),
        ),
        Mode.ADMINISTRATIVE_ABSORPTION,
        "65岁以上老人年度免费体检，报告送达并建立健康档案。",
        Economics(30000, 0, 1.0, 250, 250),
        4.2,
    ),
    ProjectPlan(
        "huayuan_sanitation",
        "huayuan",
        "sanitation",
        "中北花园社区环境卫生保洁",
        Stage.OPERATION,
        -330,
        24,
        LOW,
        "按市场标准公开购买服务，以保洁面积和抽检结果结算，政府不参与日常作业；经费由政府承担。",
        (
            Part("huayuan_rc", LEAD),
            Part("xiqing_urban", CO_FUNDER, ((MONEY, 150000, "保洁服务购买经费", 1, "年"),)),
            Part("jiecheng", PROVIDER, ((MATERIALS, 60000, "保洁车辆和分类投放设备", 1, "批"),)),
            Part("huayuan_women", VOLUNTEERS, (labour(240, "垃圾分类督导"),)),
        ),
        Mode.SHARING_ASSISTED,
        "道路、楼道保洁和垃圾分类清运。",
        Economics(48000, 0, 1.0, 6200, 60000),
        3.2,
        68,
    ),
    ProjectPlan(
        "huayuan_housekeeping",
        "huayuan",
        "housekeeping",
        "中北花园社区家政便民服务",
        Stage.OPERATION,
        -280,
        24,
        LOW,
        "市场化运营、居民自愿购买，社区只负责公示价格和受理投诉。",
        (
            Part("haobangshou", LEAD),
            Part("haobangshou", PROVIDER, ((MONEY, 50000, "服务站装修和人员培训", 1, "批"),)),
            Part("huayuan_rc", FACILITY, ((FACILITY_KIND, 10000, "便民服务站场地", 20, "㎡"),)),
        ),
        Mode.COMPLEMENTARY_ADVANTAGE,
        "家庭保洁、钟点工和养老护理员预约，明码标价。",
        Economics(20000, 1.15, 0, 120, 480),
        3.8,
    ),
    ProjectPlan(
        "fushengli_disability",
        "fushengli",
        "disability-support",
        "阜盛里社区残疾人康复服务",
        Stage.EVALUATION,
        -380,
        12,
        LOW,
        "社会组织自主设计康复方案，民政和残联以资金和场地支持，不干预专业服务。",
        (
            Part("yangguang", LEAD),
            Part("yangguang", PROVIDER, (labour(1500, "康复师服务", rate=40),)),
            Part("xiqing_civil", CO_FUNDER, ((MONEY, 150000, "残疾人康复专项资金", 1, "年"),)),
            Part("fushengli_rc", FACILITY, ((FACILITY_KIND, 20000, "康复活动室", 60, "㎡"),)),
        ),
        Mode.SHARING_ASSISTED,
        "持证残疾人康复训练、辅具适配评估和就业转介。",
        Economics(12000, 0, 1.0, 38, 150),
        4.3,
    ),
    ProjectPlan(
        "huayuan_dining_pilot",
        "huayuan",
        "elderly-dining",
        "中北花园社区老年助餐点（一年试点）",
        Stage.DESIGN,
        60,
        12,
        HIGH,
        "镇政府要求年内开设助餐点，统一部署选址和补贴标准。",
        (
            Part("huayuan_rc", LEAD, ((FACILITY_KIND, 60000, "社区用房一层120㎡", 120, "㎡"),)),
            Part("zhongbei_gov", CO_FUNDER, ((MONEY, 80000, "试点补贴经费", 1, "年"),)),
        ),
        Mode.ADMINISTRATIVE_ABSORPTION,
        "一年期试点，尚无运营方。专用厨房须按运营方工艺改造，一年后更换运营方将形成沉没成本："
        "转入运营前平台会要求说明理由。",
    ),
    ProjectPlan(
        "fushengli_legal",
        "fushengli",
        "legal-aid",
        "阜盛里社区法律服务站",
        Stage.CLOSED,
        -820,
        24,
        HIGH,
        "区司法局和镇党委推动“一社区一法律顾问”，由镇领导亲自协调律师资源，权威高；主要资源来自律师志愿服务。",
        (
            Part("fushengli_rc", LEAD, ((MONEY, 30000, "法律顾问补贴", 2, "年"),)),
            Part("gongyi_law", PROVIDER, ((TECHNOLOGY, 40000, "律师坐班与咨询", 96, "半天"),)),
            Part("fushengli_council", VOLUNTEERS, (labour(120, "楼门长协助宣传和调解"),)),
        ),
        Mode.AUTHORITATIVE_CHARISMATIC,
        "每周律师坐班，法律咨询、人民调解和法律援助转介；两年期满结项。",
        Economics(3000, 0, 1.0, 30, 36),
        4.5,
    ),
    ProjectPlan(
        "fushengli_culture",
        "fushengli",
        "culture-sports",
        "阜盛里社区文体活动季",
        Stage.DESIGN,
        20,
        12,
        HIGH,
        "镇政府统一部署全镇文体活动，指定场地和活动计划，经费全部由政府承担。",
        (
            Part("fushengli_rc", LEAD, ((FACILITY_KIND, 20000, "社区广场和活动室开放", 1, "年"),)),
            Part("zhongbei_gov", CO_FUNDER, ((MONEY, 30000, "文体活动经费", 1, "年"),)),
        ),
        Mode.ADMINISTRATIVE_ABSORPTION,
        "全年文体活动季，正在评审承办方申请。",
    ),
    ProjectPlan(
        "fushengli_repair",
        "fushengli",
        "property-repair",
        "阜盛里社区房屋维修便民服务",
        Stage.OPERATION,
        -200,
        24,
        LOW,
        "居民自主选择维修商并按公示价格付费，物业协调，政府不投入资源。",
        (
            Part("anju", LEAD, ((MONEY, 20000, "维修服务站和工具", 1, "批"),)),
            Part("jiangxin", PROVIDER, ((TECHNOLOGY, 30000, "维修技术人员", 1, "年"),)),
            Part("fushengli_council", VOLUNTEERS, (labour(80, "楼门长收集报修"),)),
        ),
        Mode.COMPLEMENTARY_ADVANTAGE,
        "老旧小区防水、管道、门窗维修，24小时内上门。",
        Economics(15000, 1.10, 0, 90, 110),
        3.0,
        55,
    ),
)


def extra_projects(scale: int) -> list[ProjectPlan]:
    """Two operating projects in each extra community, alternating their governance authority."""
    plans = []
    for batch, key in enumerate(extra_community_keys(scale), start=2):
        number, authority = batch - 1, HIGH if batch % 2 else LOW
        plans.append(
            ProjectPlan(
                f"{key}_sanitation",
                key,
                "sanitation",
                f"示范社区 {number} 环境卫生保洁",
                Stage.OPERATION,
                -300,
                24,
                authority,
                "镇政府统一部署的环境整治项目。" if authority == HIGH else "按市场标准购买服务，政府只按结果结算。",
                (
                    Part(f"{key}_rc", LEAD),
                    Part("zhongbei_gov", CO_FUNDER, ((MONEY, 120000, "保洁服务购买经费", 1, "年"),)),
                    Part(f"extra_ent_{batch}_3", PROVIDER, ((MATERIALS, 40000, "保洁设备", 1, "批"),)),
                ),
                Mode.ADMINISTRATIVE_ABSORPTION if authority == HIGH else Mode.SHARING_ASSISTED,
                economics=Economics(40000, 0, 1.0, 3000, 50000),
                satisfaction=3.7,
            )
        )
        plans.append(
            ProjectPlan(
                f"{key}_visits",
                key,
                "home-visits",
                f"示范社区 {number} 居家探访",
                Stage.OPERATION,
                -240,
                24,
                authority,
                "镇领导亲自推动的为老服务示范项目。" if authority == HIGH else "社工机构自主运营，社区配合。",
                (
                    Part(f"extra_ngo_{batch}_0", LEAD),
                    Part(f"extra_ngo_{batch}_0", PROVIDER, (labour(1200, "社工探访"),)),
                    Part(f"{key}_rc", CO_FUNDER, ((MONEY, 15000, "居委会公益金", 1, "年"),)),
                ),
                Mode.AUTHORITATIVE_CHARISMATIC if authority == HIGH else Mode.COMPLEMENTARY_ADVANTAGE,
                economics=Economics(6000, 0, 1.0, 60, 240),
                satisfaction=4.3,
            )
        )
    return plans


def project_dates(s: Seeding, plan: ProjectPlan):
    start = s.days_ahead(plan.start)
    return start, add_months(start, plan.months) - timedelta(days=1)


def community_official(s: Seeding, plan: ProjectPlan):
    """The official who acts on a project: its community's own, else the town's."""
    return s.officials.get(plan.community, s.users["zhongbei_official"])


def joined_on(s: Seeding, plan: ProjectPlan):
    """Partners of a project still in design have pledged rather than delivered."""
    return min(project_dates(s, plan)[0], s.days_ago(30))


def seed_projects(s: Seeding) -> None:
    for plan in (*BASE_PROJECTS, *extra_projects(s.scale)):
        start, end = project_dates(s, plan)
        budget = sum(value for part in plan.parts for _kind, value, *_ in part.contributions)
        project, _ = Project.objects.get_or_create(
            community=s.communities[plan.community],
            name=plan.name,
            defaults={
                "service_item": s.items[plan.item],
                "description": plan.description,
                "stage": Stage.DESIGN,
                "start_date": start,
                "end_date": end,
                "budget": Decimal(budget),
                "created_by": s.users["zhongbei_official"],
            },
        )
        s.projects[plan.key], s.plans[plan.key] = project, plan
        for part in plan.parts:
            if part.awarded:
                continue
            participation, _ = Participation.objects.get_or_create(
                project=project,
                organisation=s.organisations[part.org],
                role=part.role,
                defaults={"joined_on": joined_on(s, plan)},
            )
            s.participations[(plan.key, part.org, part.role)] = participation
            add_contributions(s, plan, part, participation)
        if project.governance_authority != plan.authority:
            s.projects[plan.key] = project_set_authority(
                project=project, level=plan.authority, reason=plan.reason, user=community_official(s, plan)
            )


def add_contributions(s: Seeding, plan: ProjectPlan, part: Part, participation: Participation) -> None:
    """The part's valued contributions not yet on record; each recomputes the project's mode."""
    for kind, value, description, quantity, unit in part.contributions:
        if Contribution.objects.filter(participation=participation, kind=kind, description=description).exists():
            continue
        contribution_add(
            participation=participation,
            kind=kind,
            value=Decimal(value),
            contributed_on=joined_on(s, plan),
            quantity=Decimal(quantity),
            unit=unit,
            description=description,
            user=TRUSTED,
        )


# (community, resident index, title, description, item code, status, response, days ago)
NEEDS = (
    (
        "houtai",
        4,
        "希望社区建日间照料中心",
        "老伴失能，白天子女上班没人照看，希望社区有日托。",
        "elderly-day-care",
        NeedStatus.PLANNED,
        "已纳入后台社区日间照料中心项目，正在遴选运营方。",
        160,
    ),
    (
        "houtai",
        11,
        "日间照料最好能提供助浴",
        "家里卫生间小，老人洗澡不安全。",
        "bathing-assistance",
        NeedStatus.PLANNED,
        "将作为日间照料中心的服务内容之一。",
        120,
    ),
    ("houtai", 0, "老年食堂晚餐能否增加送餐", "腿脚不便，晚上下楼困难。", "elderly-dining", NeedStatus.OPEN, "", 9),
    (
        "houtai",
        23,
        "绿地认领能不能开放给上班族周末养护",
        "平日没时间，周末可以。",
        "green-space",
        NeedStatus.PLANNED,
        "已调整打卡周期，周末打卡同样有效。",
        75,
    ),
    (
        "houtai",
        31,
        "小区里想开菜园",
        "想把绿地改成菜地自己种菜。",
        "green-space",
        NeedStatus.DECLINED,
        "公共绿地不得私自种植蔬菜或圈占，可参加绿地认领养护。",
        60,
    ),
    ("houtai", 37, "孩子暑假没人带", "双职工家庭，希望暑期也有托管。", "after-school", NeedStatus.OPEN, "", 20),
    ("huayuan", 3, "楼道垃圾清运不及时", "夏天气味大，希望一天清两次。", "sanitation", NeedStatus.OPEN, "", 6),
    ("huayuan", 8, "希望有上门理发", "卧床老人理发难。", None, NeedStatus.OPEN, "", 14),
    (
        "huayuan",
        15,
        "体检报告能不能线上查",
        "报告送达太慢。",
        "health-checks",
        NeedStatus.PLANNED,
        "卫生服务中心将在下季度开通线上查询。",
        40,
    ),
    (
        "fushengli",
        2,
        "希望开设书法和合唱班",
        "老年人想学书法、唱合唱。",
        "culture-sports",
        NeedStatus.PLANNED,
        "已纳入阜盛里社区文体活动季。",
        90,
    ),
    ("fushengli", 9, "老房子屋顶漏水", "顶层漏水，物业修了两次没修好。", "property-repair", NeedStatus.OPEN, "", 3),
    (
        "fushengli",
        18,
        "残疾人就业培训",
        "希望提供适合残疾人的技能培训。",
        "disability-support",
        NeedStatus.OPEN,
        "",
        30,
    ),
)


def seed_needs(s: Seeding) -> None:
    needs = list(NEEDS) + [
        (key, 5, "希望增加社区活动场地", "居民活动室太小，排不开。", "culture-sports", NeedStatus.OPEN, "", 12)
        for key in extra_community_keys(s.scale)
    ]
    for key, index, title, description, item, status, response, days_ago in needs:
        community = s.communities[key]
        need, created = Need.objects.get_or_create(
            community=community,
            title=title,
            defaults={
                "resident": s.residents[key][index],
                "description": description,
                "service_item": s.items[item] if item else None,
            },
        )
        if created:
            backdate(need, created_at=s.at(s.days_ago(days_ago), 20))
            if status != NeedStatus.OPEN:
                # Answered as the community's official answers, with the date residents read.
                official = s.officials.get(key, s.users["zhongbei_official"])
                need_answer(need=need, user=official, status=status, response=response)
                backdate(need, responded_at=s.at(s.days_ago(max(days_ago - 3, 0)), 10))
