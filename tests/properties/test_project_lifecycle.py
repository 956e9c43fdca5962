"""A project's stage only moves along the allowed transitions, and a refused move changes nothing."""

from datetime import date
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AuditEntry
from coproduction.models import ParticipationRole, Project, ProjectTransition, Stage
from coproduction.services.lifecycle import ALLOWED_MOVES, project_transition
from tests.factories import DutyFactory, EvaluationFactory, OfficialPostFactory, ParticipationFactory, ProjectFactory
from tests.properties.examples import DATABASE_EXAMPLES, rolled_back

pytestmark = pytest.mark.django_db

TARGETS = st.sampled_from([*Stage.values, "abandoned"])


def _project(*, provider: bool, orphaned_duty: bool, final_evaluation: bool) -> Project:
    project = ProjectFactory(stage=Stage.DESIGN)
    if provider:
        ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    if orphaned_duty:  # its accountable organisation has left the project
        gone = ParticipationFactory(project=project, role=ParticipationRole.LEAD, left_on=date(2025, 6, 1))
        DutyFactory(project=project, accountable=gone)
    if final_evaluation:
        EvaluationFactory(project=project, is_final=True)
    return project


def _guards_pass(to_stage: str, *, provider: bool, orphaned_duty: bool, final_evaluation: bool) -> bool:
    if to_stage == Stage.OPERATION:
        return provider and not orphaned_duty
    if to_stage == Stage.CLOSED:
        return final_evaluation
    return True


def _state(project: Project) -> tuple:
    row = Project.objects.values_list("stage", "updated_at").get(pk=project.pk)
    return row, ProjectTransition.objects.filter(project=project).count(), AuditEntry.objects.count()


@DATABASE_EXAMPLES
@given(
    provider=st.booleans(),
    orphaned_duty=st.booleans(),
    final_evaluation=st.booleans(),
    moves=st.lists(st.tuples(TARGETS, st.sampled_from(["Agreed by the committee.", "  "])), max_size=8),
)
def test_the_stage_moves_only_along_allowed_transitions(provider, orphaned_duty, final_evaluation, moves):
    with rolled_back():
        setup = {"provider": provider, "orphaned_duty": orphaned_duty, "final_evaluation": final_evaluation}
        project = _project(**setup)
        official = OfficialPostFactory(community=project.community).user
        for to_stage, reason in moves:
            before = _state(project)
            stage = before[0][0]
            allowed = to_stage in ALLOWED_MOVES.get(stage, ()) and reason.strip() and _guards_pass(to_stage, **setup)
            try:
                project_transition(project=project, to_stage=to_stage, user=official, reason=reason)
            except ValidationError:
                assert not allowed, f"{stage} -> {to_stage} was refused"
                assert _state(project) == before, "a refused move changed the project"
                continue
            assert allowed, f"{stage} -> {to_stage} was allowed"
            (after_stage, _), transitions, _ = _state(project)
            assert after_stage == to_stage and transitions == before[1] + 1
        recorded = ProjectTransition.objects.filter(project=project).order_by("pk")
        path = list(recorded.values_list("from_stage", "to_stage"))
        for (_, reached), (left, _) in pairwise(path):
            assert reached == left, f"the recorded transitions do not form a path: {path}"
        assert all(to in ALLOWED_MOVES[from_] for from_, to in path)
