"""The published service list: categories, items with their rules and versions, and their indicators."""

from dataclasses import dataclass, field
from decimal import Decimal

from common.actors import TRUSTED
from demo.context import Seeding
from evaluation.models import Indicator, IndicatorSource
from evaluation.services.indicators import indicators_set
from partners.models import OrganisationKind
from service_list.models import ListItemStatus, Pricing, ServiceCategory, ServiceListItem, ServiceNature
from service_list.services import list_item_new_version, list_item_publish, list_item_update

GOV, ENT, NGO, GROUP = (
    OrganisationKind.GOVERNMENT,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.NGO,
    OrganisationKind.RESIDENT_GROUP,
)
BASIC, WELFARE, MARKET = ServiceNature.BASIC_PUBLIC, ServiceNature.WELFARE, ServiceNature.MARKET
FREE, SUBSIDISED, USER_PAYS = Pricing.FREE, Pricing.SUBSIDISED, Pricing.USER_PAYS

CATEGORIES = (
    ("elderly-care", "养老服务", "助餐、日间照料、居家探访等面向老年人的服务。"),
    ("health", "卫生健康", "健康体检、慢病管理等基本公共卫生服务。"),
    ("environment", "环境与绿化", "绿地养护、环境卫生和垃圾分类。"),
    ("children", "儿童与青少年", "课后托管、假期活动等。"),
    ("disability", "助残服务", "康复训练、辅具适配和就业支持。"),
    ("culture", "文化体育", "群众文体活动和场地开放。"),
    ("legal", "法律服务", "法律咨询、人民调解和法律援助转介。"),
    ("daily-life", "便民生活", "家政、维修等由居民付费的市场服务。"),
)


@dataclass(frozen=True)
class ItemPlan:
    code: str
    category: str
    name: str
    nature: str
    kinds: tuple
    standard: str
    pricing: str
    unit_label: str
    unit_price: str | None = None
    subsidy: str | None = None
    pricing_note: str = ""
    description: str = ""
    specific_assets: str = ""
    output_target: int = 100
    # (code, name, weight, source); the weights of an item add up to 100.
    indicators: tuple = field(default=())


def standard_indicators(
    outputs_name: str, *, outputs=30, satisfaction=30, accountability=15, inspections=15, judgement=10
) -> tuple:
    return (
        ("outputs", outputs_name, outputs, IndicatorSource.REPORT_OUTPUTS),
        ("satisfaction", "居民满意度", satisfaction, IndicatorSource.SATISFACTION),
        ("accountability", "履责情况（违约记录）", accountability, IndicatorSource.BREACHES),
        ("inspections", "督查结果", inspections, IndicatorSource.INSPECTIONS),
        ("judgement", "评估组综合评议", judgement, IndicatorSource.EVALUATOR),
    )


ITEMS = (
    ItemPlan(
        "elderly-dining",
        "elderly-care",
        "老年助餐",
        WELFARE,
        (ENT, NGO),
        "每日午餐、晚餐两餐，荤素搭配，少盐少油；每餐留样48小时；80岁以上及行动不便老人可送餐上门。",
        SUBSIDISED,
        "餐",
        "15.00",
        "5.00",
        "60周岁以上本社区户籍老人每餐补贴5元，80周岁以上补贴8元（差额由镇财政另行拨付）。",
        "社区老年食堂，由运营方按其工艺改造的专用厨房供餐。",
        specific_assets="按运营方工艺改造的专用厨房及配餐设备",
        output_target=4000,
        indicators=standard_indicators("供餐量", outputs=25, inspections=20),
    ),
    ItemPlan(
        "elderly-day-care",
        "elderly-care",
        "老年日间照料",
        WELFARE,
        (ENT, NGO),
        "工作日8:00-17:00开放，提供午休、康复训练、文娱活动；护理员与老人比例不低于1:8。",
        SUBSIDISED,
        "人·日",
        "40.00",
        "20.00",
        "失能、半失能老人按评估等级享受每日10-20元补贴。",
        specific_assets="适老化改造的日间照料中心（助浴间、康复器械）",
        output_target=600,
        indicators=standard_indicators("照料人日数"),
    ),
    ItemPlan(
        "home-visits",
        "elderly-care",
        "高龄独居老人居家探访",
        BASIC,
        (GOV, NGO, GROUP),
        "独居、高龄老人每周至少探访1次，每次不少于30分钟，记录身体和居住安全状况，异常24小时内上报。",
        FREE,
        "次",
        output_target=300,
        indicators=standard_indicators("探访人次", outputs=35, judgement=5),
    ),
    ItemPlan(
        "health-checks",
        "health",
        "老年人健康体检",
        BASIC,
        (GOV, ENT),
        "65岁以上老人每年免费体检1次，含血常规、肝肾功能、心电图、B超；体检报告15日内送达。",
        FREE,
        "人次",
        subsidy="120.00",
        pricing_note="按国家基本公共卫生服务项目标准，每人次120元由财政支付。",
        output_target=250,
        indicators=standard_indicators("体检人次"),
    ),
    ItemPlan(
        "green-space",
        "environment",
        "绿地认领养护",
        BASIC,
        (GOV, ENT, NGO, GROUP),
        "认领地块每周至少养护1次：除草、浇水、清理垃圾；不得私自种植蔬菜或圈占；病虫害及时报告。",
        FREE,
        "m²",
        pricing_note="居民志愿认领，不收费；苗木和工具由居委会提供，绿化公司负责技术指导。",
        output_target=40,
        indicators=standard_indicators("养护打卡次数", outputs=35, satisfaction=25),
    ),
    ItemPlan(
        "sanitation",
        "environment",
        "环境卫生保洁",
        BASIC,
        (GOV, ENT),
        "道路每日清扫2次，楼道每周清扫2次，垃圾日产日清，分类投放点每日消杀。",
        FREE,
        "m²",
        subsidy="0.80",
        pricing_note="按保洁面积每平方米每月0.8元由镇财政支付。",
        output_target=60000,
        indicators=standard_indicators("保洁面积", inspections=25, accountability=10, judgement=5),
    ),
    ItemPlan(
        "after-school",
        "children",
        "四点半课堂",
        WELFARE,
        (NGO, GROUP),
        "上学日16:30-18:30开放，作业辅导与安全看护，师生比不低于1:15，接送登记。",
        SUBSIDISED,
        "人·次",
        "10.00",
        "8.00",
        "低保、困境家庭儿童全额减免。",
        output_target=800,
        indicators=standard_indicators("服务人次"),
    ),
    ItemPlan(
        "disability-support",
        "disability",
        "残疾人康复与助残服务",
        WELFARE,
        (GOV, NGO),
        "持证残疾人每月康复训练不少于4次，辅具适配评估，就业意愿登记与转介。",
        FREE,
        "人·次",
        subsidy="60.00",
        pricing_note="康复训练每人次60元由残联专项资金支付。",
        output_target=150,
        indicators=standard_indicators("康复训练人次"),
    ),
    ItemPlan(
        "culture-sports",
        "culture",
        "社区文体活动",
        WELFARE,
        (GOV, NGO, GROUP),
        "每周不少于3场群众文体活动，场地免费开放，活动安全预案齐全。",
        FREE,
        "场",
        output_target=12,
        indicators=standard_indicators("活动场次", satisfaction=35, outputs=25),
    ),
    ItemPlan(
        "legal-aid",
        "legal",
        "法律咨询与援助",
        BASIC,
        (GOV, NGO),
        "每周固定半天律师坐班，咨询当场答复，符合条件的援助申请3个工作日内转介。",
        FREE,
        "次",
        output_target=40,
        indicators=standard_indicators("咨询与转介件数"),
    ),
    ItemPlan(
        "housekeeping",
        "daily-life",
        "家政服务",
        MARKET,
        (ENT,),
        "持证上岗，明码标价，服务后24小时内回访；投诉48小时内处理。",
        USER_PAYS,
        "小时",
        "45.00",
        pricing_note="市场价，平台公示价格上限；低保家庭由社区协调8折。",
        output_target=500,
        indicators=standard_indicators("服务小时数", outputs=20, satisfaction=40),
    ),
    ItemPlan(
        "property-repair",
        "daily-life",
        "房屋维修",
        MARKET,
        (ENT,),
        "报修后24小时内上门，明码标价，维修质保期不少于6个月。",
        USER_PAYS,
        "次",
        "80.00",
        pricing_note="上门检测费80元，材料费按公示价目表另计。",
        output_target=120,
        indicators=standard_indicators("维修单数", outputs=20, satisfaction=40),
    ),
    ItemPlan(
        "bathing-assistance",
        "elderly-care",
        "老年人助浴",
        WELFARE,
        (ENT, NGO),
        "两名持证护理员上门，水温、防滑、急救预案齐全，每次不少于60分钟。",
        SUBSIDISED,
        "次",
        "60.00",
        "30.00",
        "失能老人每月补贴2次。",
        output_target=80,
        indicators=standard_indicators("助浴次数"),
    ),
)

# The one item that also has a draft of its next version, waiting to be published.
DRAFT_UPDATE = (
    "elderly-dining",
    {
        "subsidy_per_unit": Decimal("6.00"),
        "pricing_note": "拟调整：60周岁以上本社区户籍老人每餐补贴6元，80周岁以上补贴9元，送餐费每次2元。",
    },
)

for _plan in ITEMS:  # a guard for whoever edits the weights above
    assert sum(weight for _code, _name, weight, _source in _plan.indicators) == 100, _plan.code


def seed_catalogue(s: Seeding) -> None:
    categories = {}
    for code, name, description in CATEGORIES:
        categories[code], _ = ServiceCategory.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )

    for plan in ITEMS:
        item, _ = ServiceListItem.objects.get_or_create(
            code=plan.code,
            version=1,
            defaults={
                "category": categories[plan.category],
                "name": plan.name,
                "description": plan.description,
                "nature": plan.nature,
                "standard": plan.standard,
                "pricing": plan.pricing,
                "unit_label": plan.unit_label,
                "unit_price": Decimal(plan.unit_price) if plan.unit_price else None,
                "subsidy_per_unit": Decimal(plan.subsidy) if plan.subsidy else None,
                "pricing_note": plan.pricing_note,
                "needs_specific_assets": bool(plan.specific_assets),
                "specific_assets_note": plan.specific_assets,
                **dict.fromkeys((f"allows_{kind}" for kind in plan.kinds), True),
            },
        )
        # Publish only an item never published before, so a later version published by hand stays current.
        if not ServiceListItem.objects.filter(code=plan.code).exclude(status=ListItemStatus.DRAFT).exists():
            list_item_publish(item=item, user=TRUSTED)
        s.items[plan.code] = ServiceListItem.objects.filter(code=plan.code).published().get()

    code, changes = DRAFT_UPDATE
    if not ServiceListItem.objects.filter(code=code, version__gt=1).exists():
        list_item_update(item=list_item_new_version(item=s.items[code], user=TRUSTED), user=TRUSTED, **changes)

    # The town official (a street-level post) maintains the catalogue's indicators, item by item.
    plans = {plan.code: plan for plan in ITEMS}
    with_indicators = set(Indicator.objects.values_list("service_item", flat=True).distinct())
    for item in ServiceListItem.objects.filter(code__in=plans).exclude(pk__in=with_indicators):
        plan = plans[item.code]
        indicators_set(
            service_item=item,
            user=s.users["zhongbei_official"],
            indicators=[
                {
                    "code": code,
                    "name": name,
                    "weight": weight,
                    "source": source,
                    "target": plan.output_target if source == IndicatorSource.REPORT_OUTPUTS else None,
                }
                for code, name, weight, source in plan.indicators
            ],
        )
