"""Demo organisations of the four kinds, with valid credit codes, qualifications and service areas."""

from dataclasses import dataclass

from demo.context import Seeding
from demo.names import landline, person_name
from demo.territory import extra_community_keys
from partners.credit_code import ALPHABET, make_credit_code
from partners.models import Organisation, OrganisationKind, OrganisationStatus, Qualification
from partners.services.organisations import organisation_set_status

GOV, ENT, NGO, GROUP = (
    OrganisationKind.GOVERNMENT,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.NGO,
    OrganisationKind.RESIDENT_GROUP,
)
APPROVED, APPLICANT, SUSPENDED, BLACKLISTED = (
    OrganisationStatus.APPROVED,
    OrganisationStatus.APPLICANT,
    OrganisationStatus.SUSPENDED,
    OrganisationStatus.BLACKLISTED,
)
XIQING = "120111"
ALL = ("houtai", "huayuan", "fushengli")


@dataclass(frozen=True)
class OrgPlan:
    key: str
    name: str
    kind: str
    # First two characters of the credit code (GB 32100): registering authority and organisation
    # type. 11 government organ, 12 public institution, 51 social association, 52 private non-
    # enterprise unit, 59 other civil-affairs registration, 91 enterprise, Y1 other.
    code_type: str
    home: str | None
    serves: tuple = ()
    status: str = APPROVED
    description: str = ""
    # (name, issuer, valid from: days ago, valid until: days from today; negative = expired)
    qualifications: tuple = ()


BASE_ORGANISATIONS = (
    # Government bodies: the "regular producers".
    OrgPlan(
        "xiqing_civil",
        "天津市西青区民政局",
        GOV,
        "11",
        None,
        ALL,
        description="区级民政主管部门，负责养老、助残等社会福利政策和补贴资金。",
    ),
    OrgPlan(
        "xiqing_urban",
        "天津市西青区城市管理委员会",
        GOV,
        "11",
        None,
        ALL,
        description="区级城市管理部门，负责环境卫生和绿化养护的标准与经费。",
    ),
    OrgPlan(
        "zhongbei_gov",
        "天津市西青区中北镇人民政府",
        GOV,
        "11",
        None,
        ALL,
        description="中北镇人民政府，统筹镇域内各社区的公共服务。",
    ),
    OrgPlan(
        "zhongbei_health",
        "天津市西青区中北镇社区卫生服务中心",
        GOV,
        "12",
        "huayuan",
        ALL,
        description="镇属公立基层医疗机构，承担基本公共卫生服务。",
        qualifications=(("医疗机构执业许可证", "天津市西青区卫生健康委员会", 1500, 600),),
    ),
    OrgPlan(
        "houtai_rc",
        "中北镇后台社区居民委员会",
        GOV,
        "59",
        "houtai",
        ("houtai",),
        description="后台社区居委会，绿地认领和老年助餐的组织者。",
    ),
    OrgPlan("huayuan_rc", "中北镇中北花园社区居民委员会", GOV, "59", "huayuan", ("huayuan",)),
    OrgPlan("fushengli_rc", "中北镇阜盛里社区居民委员会", GOV, "59", "fushengli", ("fushengli",)),
    # Enterprises: market and contracted services.
    OrgPlan(
        "jinweifang",
        "天津津味坊餐饮管理有限公司",
        ENT,
        "91",
        "houtai",
        ("houtai", "huayuan"),
        description="社区老年食堂运营商，中央厨房配餐。",
        qualifications=(
            ("食品经营许可证", "天津市西青区市场监督管理局", 700, 1100),
            ("食品安全管理体系认证", "中国质量认证中心", 300, 800),
        ),
    ),
    OrgPlan(
        "lvyin",
        "天津绿茵园林绿化工程有限公司",
        ENT,
        "91",
        None,
        ALL,
        description="园林绿化施工与养护，为认领居民提供技术指导。",
        qualifications=(("城市园林绿化企业资质", "天津市城市管理委员会", 900, 200),),
    ),
    OrgPlan(
        "jiecheng",
        "天津洁城环境服务有限公司",
        ENT,
        "91",
        None,
        ALL,
        description="道路与楼道保洁、垃圾分类清运。",
        qualifications=(("城市生活垃圾经营性清扫收集运输服务许可", "天津市西青区城市管理委员会", 800, 30),),
    ),
    OrgPlan(
        "anju",
        "天津安居物业服务有限公司",
        ENT,
        "91",
        "fushengli",
        ("fushengli",),
        description="老旧小区物业服务与公共部位维修。",
        qualifications=(("物业服务企业信用等级证书", "天津市物业管理协会", 400, 330),),
    ),
    OrgPlan(
        "kangtai",
        "天津康泰健康管理有限公司",
        ENT,
        "91",
        None,
        ALL,
        description="健康体检与慢病管理。",
        qualifications=(("医疗机构执业许可证（体检中心）", "天津市西青区卫生健康委员会", 1000, 800),),
    ),
    OrgPlan(
        "haobangshou",
        "天津好帮手家政服务有限公司",
        ENT,
        "91",
        "huayuan",
        ("huayuan", "houtai"),
        description="家庭保洁、育儿嫂和养老护理员派遣。",
        qualifications=(("家政服务信用承诺", "天津市商务局", 500, -20),),
    ),
    OrgPlan(
        "jiangxin",
        "天津匠心房屋修缮工程有限公司",
        ENT,
        "91",
        None,
        ("fushengli", "huayuan"),
        description="老旧房屋防水、管道和门窗维修。",
        qualifications=(("建筑业企业资质证书（施工劳务）", "天津市住房和城乡建设委员会", 1200, 600),),
    ),
    OrgPlan(
        "lelinyang",
        "天津乐龄养老服务有限公司",
        ENT,
        "91",
        None,
        ALL,
        description="社区日间照料与居家养老服务运营。",
        qualifications=(("养老机构备案回执", "天津市西青区民政局", 600, None),),
    ),
    OrgPlan(
        "suda",
        "天津速达家政服务有限公司",
        ENT,
        "91",
        None,
        ("huayuan",),
        status=SUSPENDED,
        description="因只接高价订单、拒接补贴订单被暂停合作。",
    ),
    OrgPlan(
        "youju",
        "天津优居智慧社区科技有限公司",
        ENT,
        "91",
        None,
        (),
        status=APPLICANT,
        description="申请入驻平台，提供智慧社区设备与运维。",
    ),
    # NGOs (social organisations).
    OrgPlan(
        "qiming",
        "天津市西青区启明社会工作服务中心",
        NGO,
        "52",
        "houtai",
        ALL,
        description="专业社工机构，开展居家探访、个案和社区营造。",
        qualifications=(("社会组织评估等级4A", "天津市西青区民政局", 800, 300),),
    ),
    OrgPlan(
        "xiyanghong",
        "天津市西青区夕阳红为老服务中心",
        NGO,
        "52",
        "houtai",
        ("houtai", "huayuan"),
        description="为老服务社会组织，组织老年志愿者参与助餐与照料。",
        qualifications=(("养老机构备案回执", "天津市西青区民政局", 500, None),),
    ),
    OrgPlan(
        "yangguang",
        "天津市西青区阳光助残服务中心",
        NGO,
        "52",
        "fushengli",
        ALL,
        description="残疾人康复训练、辅具适配和就业支持。",
    ),
    OrgPlan(
        "chengzhang",
        "天津市西青区青少年成长服务中心",
        NGO,
        "52",
        None,
        ALL,
        description="四点半课堂和青少年课后服务。",
        qualifications=(("校外托管服务备案", "天津市西青区教育局", 700, 30),),
    ),
    OrgPlan(
        "gongyi_law",
        "天津市西青区公益法律服务中心",
        NGO,
        "52",
        None,
        ALL,
        description="律师志愿者团队，提供法律咨询和援助转介。",
    ),
    OrgPlan(
        "wenti",
        "天津市西青区社区文体协会",
        NGO,
        "51",
        None,
        ALL,
        description="组织广场舞、太极拳、棋牌等群众文体活动。",
    ),
    OrgPlan("volunteers", "天津市西青区志愿者协会", NGO, "51", None, ALL, description="志愿者招募、培训和时长记录。"),
    OrgPlan(
        "charity", "天津市西青区慈善协会", NGO, "51", None, ALL, description="募集慈善资金，资助困难老人和儿童项目。"
    ),
    OrgPlan(
        "aixin",
        "天津市西青区爱心帮扶服务中心",
        NGO,
        "52",
        None,
        (),
        status=BLACKLISTED,
        description="挪用项目资金，被列入失信名单。",
    ),
    OrgPlan(
        "linli",
        "天津市西青区邻里守望社会工作服务中心",
        NGO,
        "52",
        "huayuan",
        ("huayuan",),
        status=APPLICANT,
        description="新成立的社工机构，正在申请入驻。",
    ),
    # Resident groups: residents organised as "consumer producers".
    OrgPlan(
        "houtai_green",
        "后台社区绿地认领志愿队",
        GROUP,
        "Y1",
        "houtai",
        ("houtai",),
        description="认领社区绿地地块、按标准养护的居民志愿队。",
    ),
    OrgPlan(
        "houtai_elders",
        "后台社区老年协会",
        GROUP,
        "Y1",
        "houtai",
        ("houtai",),
        description="老年居民自治组织，参与助餐监督和互助。",
    ),
    OrgPlan(
        "houtai_silver",
        "后台社区银龄互助小组",
        GROUP,
        "Y1",
        "houtai",
        ("houtai",),
        description="低龄老人结对探访高龄独居老人。",
    ),
    OrgPlan("huayuan_women", "中北花园社区巾帼志愿服务队", GROUP, "Y1", "huayuan", ("huayuan",)),
    OrgPlan("fushengli_council", "阜盛里社区楼门长议事会", GROUP, "Y1", "fushengli", ("fushengli",)),
)

# Extra organisations for larger scales: names put together from ordinary parts.
BRANDS = (
    "恒信",
    "同心",
    "惠康",
    "安泰",
    "嘉禾",
    "睿德",
    "和顺",
    "仁爱",
    "瑞祥",
    "康宁",
    "福满",
    "晨曦",
    "博远",
    "益民",
    "鑫盛",
    "德润",
    "华泰",
    "金桥",
    "乐邦",
    "众合",
    "启航",
    "春晖",
    "松鹤",
    "向阳",
)
ENTERPRISE_TRADES = (
    "餐饮管理有限公司",
    "物业服务有限公司",
    "家政服务有限公司",
    "环境工程有限公司",
    "健康管理有限公司",
    "养老服务有限公司",
    "园林绿化有限公司",
    "房屋修缮工程有限公司",
    "便民服务有限公司",
    "信息技术有限公司",
)
NGO_TRADES = (
    "社会工作服务中心",
    "为老服务中心",
    "助残服务中心",
    "青少年服务中心",
    "社区发展中心",
    "公益服务中心",
    "志愿服务协会",
    "文化体育协会",
    "家庭服务中心",
    "心理咨询服务中心",
)
GROUP_NAMES = (
    "志愿服务队",
    "老年协会",
    "楼门长议事会",
    "环保志愿队",
    "邻里互助小组",
    "巾帼志愿服务队",
    "文艺队",
    "平安巡逻队",
    "青年志愿者小组",
)


def extra_organisations(scale: int) -> list[OrgPlan]:
    """Thirty more organisations for each step of scale beyond 1, tied to that step's new community."""
    plans = []
    for batch, community in enumerate(extra_community_keys(scale), start=2):
        number = batch - 1
        plans.append(
            OrgPlan(f"{community}_rc", f"中北镇示范社区 {number} 居民委员会", GOV, "59", community, (community,))
        )
        for index, trade in enumerate(ENTERPRISE_TRADES):
            brand = BRANDS[(batch * 7 + index) % len(BRANDS)]
            plans.append(
                OrgPlan(
                    f"extra_ent_{batch}_{index}",
                    f"天津{brand}{trade}",
                    ENT,
                    "91",
                    None,
                    (community, "houtai"),
                    qualifications=(("营业执照年报公示", "天津市西青区市场监督管理局", 300, 65),),
                )
            )
        for index, trade in enumerate(NGO_TRADES):
            brand = BRANDS[(batch * 5 + index + 3) % len(BRANDS)]
            code_type = "51" if trade.endswith("协会") else "52"
            plans.append(
                OrgPlan(
                    f"extra_ngo_{batch}_{index}",
                    f"天津市西青区{brand}{trade}",
                    NGO,
                    code_type,
                    None,
                    (community, "huayuan"),
                    status=APPLICANT if index == 9 else APPROVED,
                    qualifications=(("社会组织评估等级3A", "天津市西青区民政局", 400, 700),),
                )
            )
        for index, group in enumerate(GROUP_NAMES):
            plans.append(
                OrgPlan(
                    f"extra_group_{batch}_{index}", f"示范社区 {number} {group}", GROUP, "Y1", community, (community,)
                )
            )
    return plans


def credit_code_for(s: Seeding, plan: OrgPlan, taken: set[str]) -> str:
    """A valid code with a plausible nine-character organisation code, the same on every run."""
    rng = s.rng("credit-code", plan.key)
    heads: dict[str, str] = {ENT: "MA", NGO: "MJ"}
    head = heads.get(plan.kind, "")
    while True:
        serial = head + "".join(rng.choice(ALPHABET) for _ in range(9 - len(head)))
        code = make_credit_code(plan.code_type[0], plan.code_type[1], XIQING, serial)
        if code not in taken:
            taken.add(code)
            return code


def organisation_plans(scale: int) -> list[OrgPlan]:
    return [*BASE_ORGANISATIONS, *extra_organisations(scale)]


APPROVAL_REASON = "资质材料审核通过，准予入驻平台。"


def seed_organisation_statuses(s: Seeding) -> None:
    """The town official approves the registered organisations and sanctions the two that misbehaved.

    Only an organisation still an applicant is decided on, so a later run, or a status an
    official has changed since, is left alone.
    """
    official = s.users["zhongbei_official"]
    for plan in organisation_plans(s.scale):
        organisation = s.organisations[plan.key]
        if plan.status == APPLICANT or organisation.status != APPLICANT:
            continue
        organisation = organisation_set_status(
            organisation=organisation, status=APPROVED, user=official, reason=APPROVAL_REASON
        )
        if plan.status != APPROVED:
            organisation = organisation_set_status(
                organisation=organisation, status=plan.status, user=official, reason=plan.description
            )
        s.organisations[plan.key] = organisation


def seed_organisations(s: Seeding) -> None:
    taken: set[str] = set()
    for plan in organisation_plans(s.scale):
        rng = s.rng("organisation", plan.key)
        code = credit_code_for(s, plan, taken)
        registered_on = s.days_ago(rng.randint(400, 4000))
        organisation, created = Organisation.objects.get_or_create(
            credit_code=code,
            defaults={
                # Every organisation registers as an applicant; its status is then decided by an
                # official through the register's service (seed_organisation_statuses).
                "name": plan.name,
                "kind": plan.kind,
                "status": APPLICANT,
                "home_community": s.communities.get(plan.home) if plan.home else None,
                "legal_representative": person_name(rng),
                "contact_phone": landline(rng),
                "address": f"天津市西青区中北镇{rng.choice(('中北大道', '汇雅道', '阜盛道', '星光路', '永旺路'))}"
                f"{rng.randint(1, 300)}号",
                "description": plan.description,
                "registered_on": registered_on,
            },
        )
        if created:
            organisation.full_clean()  # the credit-code validator, as the admin would run it
            areas = [s.communities[key] for key in plan.serves if key in s.communities]
            organisation.service_area.add(*areas)
        s.organisations[plan.key] = organisation
        for name, issuer, since, until in plan.qualifications:
            Qualification.objects.get_or_create(
                organisation=organisation,
                name=name,
                defaults={
                    "issuer": issuer,
                    "number": f"{code[8:14]}-{rng.randint(1000, 9999)}",
                    "valid_from": s.days_ago(since),
                    "valid_until": s.days_ahead(until) if until is not None else None,
                },
            )
