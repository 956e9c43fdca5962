"""The demo territory: Xiqing district > Zhongbei town > Houtai and its neighbouring communities."""

from demo.context import Seeding
from partners.models import Community, District, Street

# key, name, code, population, committee address
BASE_COMMUNITIES = (
    ("houtai", "后台社区", "houtai", 8600, "天津市西青区中北镇后台社区党群服务中心"),
    ("huayuan", "中北花园社区", "zhongbei-huayuan", 6200, "天津市西青区中北镇中北花园社区居委会"),
    ("fushengli", "阜盛里社区", "fushengli", 5400, "天津市西青区中北镇阜盛里社区居委会"),
)


def extra_community_keys(scale: int) -> list[str]:
    """Beyond scale 1, one more community per step: 示范社区 1, 示范社区 2, ..."""
    return [f"shifan-{number}" for number in range(1, scale)]


def seed_territory(s: Seeding) -> None:
    district, _ = District.objects.get_or_create(code="120111", defaults={"name": "西青区"})
    town, _ = Street.objects.get_or_create(district=district, name="中北镇", defaults={"is_town": True})
    s.district, s.town = district, town

    for number, (key, name, code, population, address) in enumerate(BASE_COMMUNITIES, start=1):
        s.communities[key], _ = Community.objects.get_or_create(
            code=code, defaults={"street": town, "name": name, "population": population, "address": address}
        )
        s.community_numbers[key] = number
    for number, key in enumerate(extra_community_keys(s.scale), start=1):
        s.communities[key], _ = Community.objects.get_or_create(
            code=key,
            defaults={
                "street": town,
                "name": f"示范社区 {number}",
                "population": 3000 + 400 * number,
                "address": f"天津市西青区中北镇示范社区 {number} 居委会",
            },
        )
        s.community_numbers[key] = len(BASE_COMMUNITIES) + number
