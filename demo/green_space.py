"""Houtai's green-space claim (绿地认领): plots on a map grid, residents' claims, check-ins, releases.

Every claim and check-in goes through the coproduction services, so capacity and dates are checked
exactly as when a resident claims a plot on the portal.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from common.actors import TRUSTED
from coproduction.models import CheckIn, Claim, Task, TaskKind
from coproduction.services.claims import checkin_record, claim_create, claim_release
from demo.clock import backdate, backdate_each
from demo.context import Seeding

PLOTS_PER_SCALE = 44
MAP_COLUMNS = 8
CARE_STANDARD = (
    "每周至少养护1次并打卡：除草、浇水、清理垃圾和落叶；"
    "不得私自种植蔬菜、圈占或损坏树木；发现病虫害或设施损坏当天报告居委会。"
)
SPOTS = ("南侧", "北侧", "东侧", "西侧", "中心花坛", "围墙边")
CHECKIN_NOTES = (
    "浇水、除草",
    "清理落叶和垃圾",
    "修剪灌木",
    "补种花苗",
    "巡查无异常",
    "发现蚜虫，已报告绿化公司",
    "和邻居一起清理了杂物",
    "松土施肥",
)


def seed_green_space(s: Seeding) -> None:
    project = s.projects["houtai_green"]
    residents = s.residents["houtai"]
    period_start = project.start_date + timedelta(days=20)
    period_end = min(project.end_date, period_start + timedelta(days=365))
    existing = set(Claim.objects.filter(task__project=project).values_list("task_id", "resident_id"))
    stamps: list[CheckIn] = []

    for number in range(1, PLOTS_PER_SCALE * s.scale + 1):
        rng = s.rng("plot", number)
        row, column = divmod(number - 1, MAP_COLUMNS)
        area = Decimal(rng.randint(300, 1600)) / 10
        task, _ = Task.objects.get_or_create(
            project=project,
            code=f"plot-{number:02d}",
            defaults={
                "title": f"{number}号绿地",
                "kind": TaskKind.GREEN_PLOT,
                "area_m2": area,
                "location": f"{rng.randint(1, 28)}号楼{rng.choice(SPOTS)}",
                "grid_row": row + 1,
                "grid_column": column + 1,
                "care_standard": CARE_STANDARD,
                "capacity": 2 if rng.random() < 0.25 else 1,
                "period_start": period_start,
                "period_end": period_end,
                "checkin_interval_days": 7,
                "missed_checkins_allowed": 2,
                "hours_per_checkin": Decimal("1.5") if area > 100 else Decimal("1.0"),
            },
        )
        # Each plot draws on its own two residents, so that a larger scale never reassigns a plot.
        first, second = residents[2 * (number - 1)], residents[2 * (number - 1) + 1]
        for resident, story in plot_stories(rng, number, task.capacity):
            resident = first if resident == 0 else second
            if (task.pk, resident.pk) in existing:
                continue
            play_story(s, rng, task, resident, story, stamps)
            existing.add((task.pk, resident.pk))

    backdate_each(stamps, "created_at", [s.at(checkin.on, 7 + checkin.pk % 12, checkin.pk % 60) for checkin in stamps])


def plot_stories(rng: random.Random, number: int, capacity: int) -> list[tuple[int, tuple]]:
    """Who claims the plot (resident 0 or 1 of its pair) and how each claim goes, in order.

    A story is (kind, days ago claimed, days ago ended): "active" claims are looked after until
    about now, "lapsing" ones stopped checking in weeks ago (a job will lapse them), "released"
    ones were given back.
    """
    claimed_ago = rng.randint(35, 100)
    roll = 0.3 if number == 1 else rng.random()  # plot 1 belongs to the demo resident, always active
    lapsing = (0, ("lapsing", claimed_ago, rng.randint(30, min(50, claimed_ago - 1))))
    if capacity == 2:
        stories = [lapsing if roll > 0.85 else (0, ("active", claimed_ago, None))]
        if rng.random() < 0.6:
            stories.append((1, ("active", rng.randint(30, claimed_ago), None)))
        return stories
    if roll < 0.2:
        return []
    if roll < 0.7:
        return [(0, ("active", claimed_ago, None))]
    if roll < 0.8:
        return [lapsing]
    released_ago = rng.randint(15, claimed_ago - 20)
    if roll < 0.88:
        return [(0, ("released", claimed_ago, released_ago))]
    return [(0, ("released", claimed_ago, released_ago)), (1, ("active", released_ago - rng.randint(1, 7), None))]


def play_story(s: Seeding, rng: random.Random, task: Task, resident, story: tuple, stamps: list) -> None:
    kind, claimed_ago, ended_ago = story
    claimed_on = clamp(s.days_ago(claimed_ago), task.period_start, s.today)
    claim = claim_create(task=task, resident=resident, user=TRUSTED)
    backdate(claim, claimed_at=s.at(claimed_on, rng.randint(8, 20), rng.randint(0, 59)))

    if kind == "active":
        last_on = s.days_ago(rng.randint(0, 5))
    elif kind == "lapsing":
        # Some never check in at all: the free-riding the seed warns about.
        last_on = claimed_on if rng.random() < 0.3 else s.days_ago(ended_ago)
    else:
        last_on = s.days_ago(ended_ago)
    on = claimed_on + timedelta(days=rng.randint(1, 4))
    while on <= min(last_on, task.period_end, s.today):
        stamps.append(checkin_record(claim=claim, on=on, note=rng.choice(CHECKIN_NOTES), user=TRUSTED))
        on += timedelta(days=rng.randint(6, 10))

    if kind == "released":
        claim = claim_release(claim=claim, user=TRUSTED)
        backdate(claim, ended_at=s.at(s.days_ago(ended_ago), 19))


def clamp(day: date, low: date, high: date) -> date:
    return max(low, min(day, high))
