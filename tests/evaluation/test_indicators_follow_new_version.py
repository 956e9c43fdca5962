"""A new version of a service-list item keeps the indicators of the version it was copied from."""

from datetime import date

import pytest

from audit.models import AuditAction, AuditEntry
from coproduction.models import Stage
from coproduction.services.projects import project_adopt_current_service_version
from evaluation.models import Indicator
from evaluation.services.evaluations import evaluation_create, evaluation_outlook
from evaluation.services.indicators import indicators_set
from service_list.services import list_item_new_version, list_item_publish
from tests.evaluation.conftest import PERIOD, give_indicators, indicator_rows, official_of, street_official_of
from tests.factories import ProjectFactory, ServiceListItemFactory

pytestmark = pytest.mark.django_db


def meanings(item) -> list[tuple]:
    return list(
        Indicator.objects.filter(service_item=item)
        .order_by("code")
        .values_list("code", "name", "description", "weight", "source", "target")
    )


@pytest.fixture
def first():
    item = ServiceListItemFactory(code="housekeeping", name="Housekeeping")
    give_indicators(item)
    return item


@pytest.fixture
def maintainer(first):
    return street_official_of(ProjectFactory(service_item=first).community.street)


def test_the_new_version_has_the_same_indicators(first, maintainer):
    draft = list_item_new_version(item=first, user=maintainer)

    assert meanings(draft) == meanings(first)
    assert len(meanings(draft)) == 5
    # Copies, not the same rows moved over.
    assert not Indicator.objects.filter(service_item=draft).filter(pk__in=first.indicators.all()).exists()


def test_each_copy_is_audited_as_created_by_who_asked_for_the_version(first, maintainer):
    draft = list_item_new_version(item=first, user=maintainer)

    copies = AuditEntry.objects.filter(
        action=AuditAction.CREATE,
        content_type__model="indicator",
        object_id__in=[str(pk) for pk in draft.indicators.values_list("pk", flat=True)],
    )
    assert copies.count() == 5
    assert set(copies.values_list("actor", flat=True)) == {maintainer.pk}


def test_a_version_made_from_an_older_one_copies_that_one(first, maintainer):
    second = list_item_new_version(item=first, user=maintainer)
    indicators_set(
        service_item=second, indicators=indicator_rows(meals={"weight": 20}, record={"weight": 30}), user=maintainer
    )

    third = list_item_new_version(item=first, user=maintainer)

    assert third.version == 3
    assert meanings(third) == meanings(first)


def test_an_item_without_indicators_gives_a_version_without_indicators(maintainer):
    bare = ServiceListItemFactory()

    assert not list_item_new_version(item=bare, user=maintainer).indicators.exists()


def test_editing_the_drafts_indicators_leaves_the_old_versions_alone(first, maintainer):
    before = meanings(first)
    draft = list_item_new_version(item=first, user=maintainer)

    indicators_set(
        service_item=draft,
        user=maintainer,
        indicators=[row for row in indicator_rows(meals={"weight": 50}) if row["code"] != "judgement"],
    )

    assert meanings(first) == before
    assert {code: weight for code, _n, _d, weight, _s, _t in meanings(draft)}["meals"] == 50
    assert "judgement" not in [code for code, *_rest in meanings(draft)]


def test_a_project_moved_to_the_new_version_can_be_evaluated(first, maintainer):
    project = ProjectFactory(stage=Stage.DESIGN, service_item=first, start_date=date(2025, 1, 1))
    list_item_publish(item=list_item_new_version(item=first, user=maintainer), user=maintainer)
    official = official_of(project.community)

    project = project_adopt_current_service_version(project=project, user=official)
    project.stage = Stage.OPERATION  # partners chosen; how is not this test's subject
    project.save(update_fields=["stage"])

    assert project.service_item.version == 2
    outlook = evaluation_outlook(project=project, today=date(2025, 7, 15))
    assert outlook.may_evaluate and not outlook.indicators_missing
    evaluation = evaluation_create(
        project=project,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        user=official,
        # No ratings or inspections in the period: the evaluator scores those too.
        evaluator_scores={"judgement": 80, "satisfaction": 70, "inspections": 90},
    )
    assert {score.indicator.service_item_id for score in evaluation.scores.select_related("indicator")} == {
        project.service_item_id
    }
