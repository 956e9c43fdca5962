"""What one bulk build carries from step to step: the plan, today, and the ids of what it made."""

import random
from dataclasses import dataclass, field
from datetime import date

from demo.context import SEED
from demo.district.plan import DistrictPlan


@dataclass
class District:
    plan: DistrictPlan
    today: date
    CODE_PREFIX = "d-"
    community_ids: dict = field(default_factory=dict)  # code -> id
    organisations: list = field(default_factory=list)  # (id, kind, status, home community id) by serial
    user_ids: dict = field(default_factory=dict)  # username -> id

    @property
    def street_count(self) -> int:
        return -(-self.plan.communities // self.plan.communities_per_street)

    def community_code(self, index: int) -> str:
        return f"{self.CODE_PREFIX}{index + 1:03d}"

    @staticmethod
    def official_username(community: int) -> str:
        return f"d{community + 1:03d}_official"

    @staticmethod
    def manager_username(serial: int) -> str:
        return f"d_org{serial:05d}_manager"

    @staticmethod
    def resident_username(community: int, position: int) -> str:
        return f"d{community + 1:03d}_resident{position:02d}"

    def rng(self, *parts) -> random.Random:
        return random.Random("|".join([SEED, "district", *map(str, parts)]))
