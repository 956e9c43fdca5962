"""Made-up but ordinary Chinese personal names, mobile numbers and addresses for demo residents."""

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺"
)
# Given names of people born from the 1940s to the 2000s: a community's residents span them all.
GIVEN_NAMES = (
    "秀英",
    "桂英",
    "玉兰",
    "淑珍",
    "凤兰",
    "秀兰",
    "桂兰",
    "玉珍",
    "淑英",
    "秀珍",
    "建国",
    "建华",
    "国强",
    "志刚",
    "卫东",
    "振华",
    "德明",
    "学军",
    "红梅",
    "丽华",
    "海燕",
    "春生",
    "长林",
    "宝山",
    "金凤",
    "国庆",
    "丽",
    "静",
    "敏",
    "伟",
    "芳",
    "娜",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "斌",
    "婷",
    "浩",
    "宇",
    "鑫",
    "欣怡",
    "子涵",
    "雨桐",
    "梓萱",
    "俊杰",
    "浩然",
    "思远",
    "文博",
    "晓东",
    "晓梅",
    "立新",
    "永生",
    "福来",
    "玉梅",
    "翠兰",
    "凤英",
    "素芬",
    "惠民",
    "家豪",
    "佳琪",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "182",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def mobile_number(rng: random.Random, serial: int) -> str:
    """An 11-digit mainland mobile number, distinct for each serial below 10^8.

    Multiplying by a number prime to 10 permutes the eight-digit suffixes, so the numbers look
    scattered while two serials can never share one.
    """
    return rng.choice(MOBILE_PREFIXES) + f"{(serial * 7919 + 1357) % 10**8:08d}"


def landline(rng: random.Random) -> str:
    """A Xiqing district landline (Tianjin area code 022)."""
    return f"022-{rng.choice(('2739', '2798', '8771', '2392'))}{rng.randint(0, 9999):04d}"


def building(rng: random.Random) -> tuple[str, str]:
    return f"{rng.randint(1, 28)}号楼", f"{rng.randint(1, 4)}单元"
