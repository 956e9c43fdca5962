"""Demo projects through the lifecycle service: into operation when they started, out when they ended.

Each move is refused by project_transition's guards unless the demo has what a real project
would need by then (a provider, duties with an accountable party, a final evaluation), so the
steps between seed_project_starts and seed_project_ends supply exactly that.
"""

from datetime import date, timedelta

from coproduction.models import Participation, Stage
from coproduction.services.lifecycle import project_transition
from demo.clock import backdate
from demo.context import Seeding
from demo.performance import seed_final_evaluations
from demo.projects import community_official, project_dates

ORDER = (Stage.DESIGN, Stage.OPERATION, Stage.EVALUATION, Stage.CLOSED)
REASONS: dict[str, str] = {
    Stage.OPERATION: "分工方案和服务协议已签订，进入运营。",
    Stage.EVALUATION: "服务期满，进入结果评估。",
    Stage.CLOSED: "终期评估完成，资料归档，项目结项。",
}
# Days after the project's last day that it moved to evaluation, and that it closed.
EVALUATION_AFTER, CLOSED_AFTER = 1, 40


def move(s: Seeding, key: str, to_stage: str, day: date) -> None:
    """Move the project on if its plan goes that far and it is not there yet; dated `day`."""
    project, plan = s.projects[key], s.plans[key]
    if ORDER.index(project.stage) >= ORDER.index(to_stage) or ORDER.index(plan.stage) < ORDER.index(to_stage):
        return
    transition = project_transition(
        project=project, to_stage=to_stage, user=community_official(s, plan), reason=REASONS[to_stage]
    )
    backdate(transition, at=s.at(min(day, s.today), 10))
    project.stage = to_stage


def seed_project_starts(s: Seeding) -> None:
    for key in s.projects:
        move(s, key, Stage.OPERATION, project_dates(s, s.plans[key])[0])


def seed_project_ends(s: Seeding) -> None:
    """Finished projects go to evaluation; the closed ones get their final evaluation, close, and their partners
    leave."""
    for key in s.projects:
        move(s, key, Stage.EVALUATION, project_dates(s, s.plans[key])[1] + timedelta(days=EVALUATION_AFTER))
    seed_final_evaluations(s)
    for key, project in s.projects.items():
        end = project_dates(s, s.plans[key])[1]
        move(s, key, Stage.CLOSED, end + timedelta(days=CLOSED_AFTER))
        if project.stage == Stage.CLOSED:
            # Participations are plain records of who took part; leaving is their end date.
            Participation.objects.filter(project=project, left_on__isnull=True).update(left_on=end)
