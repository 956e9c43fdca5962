"""The district's territory, organisations, user accounts with their roles, and residents."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from demo.district.context import District as Built
from demo.district.sql import copy_rows, execute, table
from demo.names import building, mobile_number, person_name
from demo.organisations import XIQING
from demo.people import demo_password_hash
from partners.credit_code import make_credit_code
from partners.models import (
    Community,
    District,
    Membership,
    MembershipRole,
    OfficialPost,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Resident,
    Street,
)

GOV, ENT, NGO, GROUP = (
    OrganisationKind.GOVERNMENT,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.NGO,
    OrganisationKind.RESIDENT_GROUP,
)
# Of every 50 organisations of a community, by index: 3 government bodies, 15 enterprises,
# 25 NGOs and 7 resident groups (scaled when a plan has another number per community).
KIND_SHARES = ((GOV, 0.06), (ENT, 0.30), (NGO, 0.50), (GROUP, 0.14))
CODE_TYPES = {GOV: "11", ENT: "91", NGO: "52", GROUP: "59"}
TRADES = {
    GOV: ("社区居民委员会", "街道综合服务中心", "卫生服务站"),
    ENT: ("餐饮管理有限公司", "物业服务有限公司", "家政服务有限公司", "园林绿化工程有限公司", "健康管理有限公司"),
    NGO: ("社会工作服务中心", "养老服务中心", "志愿者协会", "青少年服务中心", "助残服务中心"),
    GROUP: ("居民志愿服务队", "楼门长议事会", "绿地认领小组"),
}
BRANDS = [
    "启明",
    "仁和",
    "同心",
    "和美",
    "乐群",
    "惠民",
    "康宁",
    "安泰",
    "福寿",
    "春晖",
    "晨光",
    "善行",
    "绿源",
    "恒信",
    "博爱",
    "众诚",
    "嘉和",
    "新桥",
    "润泽",
    "长青",
]


def organisation_kind(index: int, per_community: int) -> OrganisationKind:
    bound = 0.0
    for kind, share in KIND_SHARES:
        bound += share * per_community
        if index < round(bound):
            return kind
    return GROUP


def seed_territory(d: Built) -> int:
    district = District.objects.get(code=XIQING)
    streets = Street.objects.bulk_create(
        [
            Street(district=district, name=f"示范街道 {number:02d}", is_town=False)
            for number in range(1, d.street_count + 1)
        ]
    )
    per_street = d.plan.communities_per_street
    Community.objects.bulk_create(
        [
            Community(
                street=streets[index // per_street],
                name=f"{streets[index // per_street].name} 第{index % per_street + 1}社区",
                code=d.community_code(index),
                population=4000 + (index * 137) % 6000,
                address=f"天津市西青区{streets[index // per_street].name}第{index % per_street + 1}社区居委会",
            )
            for index in range(d.plan.communities)
        ]
    )
    d.community_ids = dict(Community.objects.filter(code__startswith=d.CODE_PREFIX).values_list("code", "pk"))
    return len(d.community_ids) + len(streets)


def _organisation(d: Built, community: int, index: int) -> Organisation:
    kind = organisation_kind(index, d.plan.organisations_per_community)
    serial = community * d.plan.organisations_per_community + index
    trades, brand = TRADES[kind], BRANDS[serial % len(BRANDS)]
    status = OrganisationStatus.APPLICANT if index % 23 == 22 else OrganisationStatus.APPROVED
    return Organisation(
        name=f"天津市西青区{brand}{trades[serial % len(trades)]}（{d.community_code(community)}-{index:02d}）",
        kind=kind,
        credit_code=make_credit_code(CODE_TYPES[kind][0], CODE_TYPES[kind][1], XIQING, f"D{serial:08d}"),
        status=status,
        home_community_id=d.community_ids[d.community_code(community)],
        legal_representative=person_name(d.rng("representative", serial)),
        contact_phone=f"022-2739{serial % 10000:04d}",
        address=f"天津市西青区{d.community_code(community)}",
        registered_on=date(2010, 1, 1) + timedelta(days=serial % 4000),
    )


def seed_organisations(d: Built) -> int:
    rows = [
        _organisation(d, c, i) for c in range(d.plan.communities) for i in range(d.plan.organisations_per_community)
    ]
    Organisation.objects.bulk_create(rows, batch_size=2000)
    codes = [row.credit_code for row in rows]
    by_code = dict(Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
    d.organisations = [(by_code[row.credit_code], row.kind, row.status, row.home_community_id) for row in rows]
    # Each serves its home community.
    through = table(Organisation.service_area.through)
    return len(rows) + execute(
        f"INSERT INTO {through} (organisation_id, community_id) "
        f"SELECT id, home_community_id FROM {table(Organisation)} WHERE credit_code = ANY(%(codes)s)",
        {"codes": codes},
    )


def seed_users(d: Built) -> int:
    """An official per community, a manager per organisation and a login for some residents."""
    User, password = get_user_model(), demo_password_hash()
    names = [d.official_username(c) for c in range(d.plan.communities)]
    names += [d.manager_username(serial) for serial in range(len(d.organisations))]
    names += [
        d.resident_username(c, r)
        for c in range(d.plan.communities)
        for r in range(d.plan.resident_logins_per_community)
    ]
    User.objects.bulk_create(
        [
            User(
                username=name,
                password=password,
                display_name=person_name(d.rng("user", name)),
                email=f"{name}@demo.invalid",
            )
            for name in names
        ],
        batch_size=2000,
    )
    d.user_ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    OfficialPost.objects.bulk_create(
        [
            OfficialPost(
                user_id=d.user_ids[d.official_username(c)],
                community_id=d.community_ids[d.community_code(c)],
                title="社区党委书记、居委会主任",
            )
            for c in range(d.plan.communities)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=d.user_ids[d.manager_username(serial)],
                organisation_id=organisation_id,
                role=MembershipRole.MANAGER,
            )
            for serial, (organisation_id, *_rest) in enumerate(d.organisations)
        ],
        batch_size=2000,
    )
    return len(names) + d.plan.communities + len(d.organisations)


def _residents(d: Built):
    per = d.plan.residents_per_community
    for c in range(d.plan.communities):
        community_id = d.community_ids[d.community_code(c)]
        for r in range(per):
            serial = 50_000_000 + c * per + r  # clear of the ordinary demo's serials
            rng = d.rng("resident", c, r)
            block, unit = building(rng)
            user_id = d.user_ids.get(d.resident_username(c, r)) if r < d.plan.resident_logins_per_community else None
            yield (
                user_id,
                community_id,
                person_name(rng),
                mobile_number(rng, serial),
                block,
                unit,
                r % 3 == 0,
                d.today - timedelta(days=30 + (r * 17) % 1500),
            )


def seed_residents(d: Built) -> int:
    columns = ("user_id", "community_id", "name", "phone", "building", "unit", "is_volunteer", "joined_on")
    count = copy_rows(Resident, columns, _residents(d))
    # A numbering of each community's residents, for the statements that pick residents by position.
    execute(
        f"CREATE TEMP TABLE district_resident ON COMMIT DROP AS SELECT id, community_id, "
        f"(row_number() OVER (PARTITION BY community_id ORDER BY id) - 1)::int AS position "
        f"FROM {table(Resident)} WHERE community_id = ANY(%(ids)s)",
        {"ids": list(d.community_ids.values())},
    )
    execute("CREATE INDEX ON district_resident (community_id, position)")
    execute("ANALYZE district_resident")
    return count
