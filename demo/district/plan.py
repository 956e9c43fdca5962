"""How big a district to build: the counts per community and per project, and the named scales."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DistrictPlan:
    """Sizes of the bulk district. The per-community figures stay the same at every scale, so a
    community looks alike in the tiny and the full district and only their number changes."""

    communities: int
    communities_per_street: int = 10
    organisations_per_community: int = 50
    residents_per_community: int = 500
    resident_logins_per_community: int = 20
    projects_per_community: int = 20
    duties_per_project: int = 100
    tasks_per_project: int = 10
    complaints_per_project: int = 12
    inspections_per_project: int = 6
    raters_per_month: int = 22
    rated_months: int = 14

    @property
    def minimum_counts(self) -> dict[str, int]:
        """What the issue asks of a district of this many communities (scaled down below 100)."""
        share = self.communities / 100
        return {
            "partners.Community": self.communities,
            "partners.Organisation": int(5_000 * share),
            "partners.Resident": int(50_000 * share),
            "coproduction.Project": int(2_000 * share),
            "accountability.Duty": int(200_000 * share),
            "coproduction.CheckIn": int(1_000_000 * share),
            "coproduction.ServiceReport": int(100_000 * share),
            "evaluation.Rating": int(500_000 * share),
        }


SCALES = {
    "full": DistrictPlan(communities=100),
    "small": DistrictPlan(communities=10),
    "tiny": DistrictPlan(communities=2),
}


def plan_for(scale: str) -> DistrictPlan:
    """A named scale, or a number of communities."""
    if scale in SCALES:
        return SCALES[scale]
    if scale.isdigit() and int(scale) >= 1:
        return DistrictPlan(communities=int(scale))
    raise ValueError(f"Unknown scale {scale!r}: use one of {', '.join(SCALES)} or a number of communities.")
