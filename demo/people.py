"""Demo people: residents, user accounts, official posts and memberships, and the printed logins."""

from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from demo.context import Login, Seeding
from demo.names import building, mobile_number, person_name
from demo.territory import extra_community_keys
from partners.models import Membership, MembershipRole, OfficialPost, Resident

DEMO_PASSWORD = "demo-pass-2026"

# Residents per community at scale 1; Houtai needs the most, for its green-space plots.
RESIDENTS_PER_COMMUNITY = {"houtai": 100, "huayuan": 50, "fushengli": 50}
RESIDENTS_PER_EXTRA_COMMUNITY = 40
VOLUNTEER_SHARE = 0.3

# Who acts for a government body when the demo needs a user: the official holding its post.
GOVERNMENT_USERS = {
    "houtai_rc": "houtai_official",
    "huayuan_rc": "huayuan_official",
    "fushengli_rc": "fushengli_official",
    "zhongbei_gov": "zhongbei_official",
    "xiqing_civil": "xiqing_official",
    "xiqing_urban": "xiqing_official",
}
# Organisations whose acting user is one of the printed demo logins.
DEMO_MEMBERS = {"qiming": "ngo_manager", "jinweifang": "enterprise_staff"}


@lru_cache(maxsize=1)
def demo_password_hash() -> str:
    """Hashed once per process: hashing is deliberately slow, and every demo account shares the password."""
    return make_password(DEMO_PASSWORD)


def ensure_user(username: str, display_name: str, *, is_staff: bool = False, is_superuser: bool = False):
    """The user with this name, created with the demo password if missing (an existing password is kept)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username,
            display_name=display_name,
            password=demo_password_hash(),
            email=f"{username}@demo.invalid",
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
    return user


def org_user(s: Seeding, org_key: str):
    """A user acting for an organisation: its official for a government body, else a member (made on first use)."""
    if org_key in s.org_users:
        return s.org_users[org_key]
    if org_key in GOVERNMENT_USERS:
        user = s.users[GOVERNMENT_USERS[org_key]]
    elif org_key.endswith("_rc") and org_key[:-3] in s.officials:
        user = s.officials[org_key[:-3]]
    else:
        organisation = s.organisations[org_key]
        username = DEMO_MEMBERS.get(org_key, f"org_{org_key}")
        user = ensure_user(username, person_name(s.rng("member", org_key)))
        role = MembershipRole.STAFF if username == "enterprise_staff" else MembershipRole.MANAGER
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    s.org_users[org_key] = user
    return user


def org_manager(s: Seeding, org_key: str):
    """A user who may act in the organisation's name (apply to calls): a manager, made on first use.

    Usually the same user as org_user(); the printed enterprise login is plain staff, so its
    company gets a manager of its own.
    """
    user = org_user(s, org_key)
    if DEMO_MEMBERS.get(org_key) != "enterprise_staff":
        return user
    manager = ensure_user(f"org_{org_key}", person_name(s.rng("manager", org_key)))
    Membership.objects.get_or_create(
        user=manager, organisation=s.organisations[org_key], defaults={"role": MembershipRole.MANAGER}
    )
    return manager


def seed_users(s: Seeding) -> None:
    admin = ensure_user("admin", "平台管理员", is_staff=True, is_superuser=True)
    if not (admin.is_staff and admin.is_superuser):
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    s.users["admin"] = admin

    posts = [
        ("houtai_official", "后台社区居委会主任", {"community": s.communities["houtai"]}, "houtai"),
        ("huayuan_official", "中北花园社区居委会主任", {"community": s.communities["huayuan"]}, "huayuan"),
        ("fushengli_official", "阜盛里社区居委会主任", {"community": s.communities["fushengli"]}, "fushengli"),
        ("zhongbei_official", "中北镇社区服务办公室主任", {"street": s.town}, None),
        ("xiqing_official", "西青区民政局养老服务科科长", {"district": s.district}, None),
    ]
    posts += [
        (
            f"{key.replace('-', '_')}_official",
            f"{s.communities[key].name}居委会主任",
            {"community": s.communities[key]},
            key,
        )
        for key in extra_community_keys(s.scale)
    ]
    for username, title, scope, community_key in posts:
        user = ensure_user(username, person_name(s.rng("official", username)))
        OfficialPost.objects.get_or_create(user=user, **scope, defaults={"title": title})
        s.users[username] = user
        if community_key:
            s.officials[community_key] = user

    for org_key in DEMO_MEMBERS:
        s.users[DEMO_MEMBERS[org_key]] = org_user(s, org_key)


def seed_residents(s: Seeding) -> None:
    counts = {key: count * s.scale for key, count in RESIDENTS_PER_COMMUNITY.items()}
    counts.update(dict.fromkeys(extra_community_keys(s.scale), RESIDENTS_PER_EXTRA_COMMUNITY))
    for key, count in counts.items():
        community = s.communities[key]
        wanted = []
        for index in range(1, count + 1):
            rng = s.rng("resident", key, index)
            name = person_name(rng)
            phone = mobile_number(rng, s.community_numbers[key] * 100_000 + index)
            block, unit = building(rng)
            wanted.append(
                Resident(
                    community=community,
                    name=name,
                    phone=phone,
                    building=block,
                    unit=unit,
                    is_volunteer=rng.random() < VOLUNTEER_SHARE,
                )
            )
        phones = [resident.phone for resident in wanted]
        existing = set(Resident.objects.filter(community=community, phone__in=phones).values_list("phone", flat=True))
        Resident.objects.bulk_create([resident for resident in wanted if resident.phone not in existing])
        by_phone = {r.phone: r for r in Resident.objects.filter(community=community, phone__in=phones)}
        s.residents[key] = [by_phone[phone] for phone in phones]

    # A few residents sign in to the portal; the first of Houtai is the printed demo login.
    accounts = [
        ("resident", "houtai", 0),
        ("resident_houtai_002", "houtai", 1),
        ("resident_houtai_003", "houtai", 2),
        ("resident_huayuan_001", "huayuan", 0),
        ("resident_fushengli_001", "fushengli", 0),
    ]
    for username, key, index in accounts:
        resident = s.residents[key][index]
        user = ensure_user(username, resident.name)
        if resident.user_id is None and not Resident.objects.filter(user=user).exists():
            resident.user = user
            resident.save(update_fields=["user"])
        s.users[username] = user


def record_logins(s: Seeding) -> None:
    houtai, huayuan = s.communities["houtai"].name, s.communities["huayuan"].name
    s.logins = [
        Login("admin", "administrator (superuser)", "/admin/", "every record, periodic job schedules"),
        Login(
            "houtai_official",
            f"community official, {houtai}",
            "/dashboard/",
            "green-space claims, the loss-making dining hall, overdue complaints and duties",
        ),
        Login(
            "zhongbei_official",
            f"town official, {s.town.name}",
            "/dashboard/",
            "all communities of the town: calls for partners and the award, evaluations, reports to review",
        ),
        Login(
            "xiqing_official",
            f"district official, {s.district.name}",
            "/dashboard/",
            "every community of the district, street by street",
        ),
        Login(
            "ngo_manager",
            f"NGO manager, {s.organisations['qiming'].name}",
            "/portal/",
            "applications to the open call, home-visit reports, duties and scores, API tokens",
        ),
        Login(
            "enterprise_staff",
            f"enterprise staff, {s.organisations['jinweifang'].name}",
            "/portal/",
            "monthly dining-hall reports running at a loss, a failed inspection",
        ),
        Login(
            "resident",
            f"resident of {houtai} ({s.residents['houtai'][0].name})",
            "/me/",
            "a claimed green-space plot and check-ins, ratings, a complaint, a need",
        ),
        Login(
            "resident_huayuan_001",
            f"resident of {huayuan} ({s.residents['huayuan'][0].name})",
            "/me/",
            "another community's portal: its own tasks, nothing of Houtai's",
        ),
    ]
