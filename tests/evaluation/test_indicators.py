"""Indicators are set per service-list item as a whole, weights adding up to 100, by street or district officials."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEntry
from evaluation.models import Indicator, IndicatorSource
from evaluation.services.indicators import indicators_set
from tests.evaluation.conftest import (
    administrator,
    district_official_of,
    indicator_rows,
    official_of,
    resident_user_of,
    street_official_of,
)
from tests.factories import (
    CommunityFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    ServiceListItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return ServiceListItemFactory()


@pytest.fixture
def maintainer():
    return street_official_of(CommunityFactory().street)


def codes_of(item) -> list[str]:
    return sorted(Indicator.objects.filter(service_item=item).values_list("code", flat=True))


def error_codes(caught) -> list[str]:
    return [error.code for error in caught.value.error_dict["indicators"]]


def audit_actions(indicators) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id__in=[str(i.pk) for i in indicators], content_type__model="indicator")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- who may set them -------------------------------------------------------------------------


def test_a_street_official_sets_the_indicators_of_an_item(item, maintainer):
    indicators = indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)

    assert [i.code for i in indicators] == ["meals", "satisfaction", "record", "inspections", "judgement"]
    assert sum(i.weight for i in indicators) == 100
    assert codes_of(item) == sorted(i.code for i in indicators)
    meals = Indicator.objects.get(service_item=item, code="meals")
    assert (meals.source, meals.weight, meals.target) == (IndicatorSource.REPORT_OUTPUTS, 30, Decimal("1000.00"))


def test_setting_indicators_writes_an_audit_entry_for_each(item, maintainer):
    indicators = indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)

    assert audit_actions(indicators) == [AuditAction.CREATE] * 5
    actors = AuditEntry.objects.filter(content_type__model="indicator").values_list("actor", flat=True)
    assert set(actors) == {maintainer.pk}


def test_a_district_official_sets_indicators(item):
    user = district_official_of(CommunityFactory().street.district)

    indicators_set(service_item=item, indicators=indicator_rows(), user=user)

    assert len(codes_of(item)) == 5


def test_an_administrator_sets_indicators(item):
    indicators_set(service_item=item, indicators=indicator_rows(), user=administrator())

    assert len(codes_of(item)) == 5


@pytest.mark.parametrize("who", [official_of, resident_user_of])
def test_a_community_official_or_a_resident_may_not_set_indicators(item, who):
    user = who(CommunityFactory())

    with pytest.raises(PermissionDenied):
        indicators_set(service_item=item, indicators=indicator_rows(), user=user)

    assert codes_of(item) == []
    assert not AuditEntry.objects.exists()


# --- the rules of a set -----------------------------------------------------------------------


def test_weights_that_do_not_add_up_to_100_are_refused_with_the_actual_sum(item, maintainer):
    rows = indicator_rows(judgement={"weight": 10})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["weights_sum"]
    assert "add up to 90" in caught.value.messages[0]
    assert codes_of(item) == []


def test_an_empty_set_is_refused(item, maintainer):
    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=[], user=maintainer)

    assert error_codes(caught) == ["weights_sum"]


@pytest.mark.parametrize("weight", [0, 101, 2.5, "heavy", None, True])
def test_a_weight_outside_1_to_100_is_refused(item, maintainer, weight):
    rows = [
        {"code": "all", "name": "All", "weight": weight, "source": IndicatorSource.EVALUATOR},
    ]

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert "weight_range" in error_codes(caught)
    assert "all: the weight must be a whole number from 1 to 100." in caught.value.messages
    assert codes_of(item) == []


def test_a_single_indicator_may_carry_the_whole_weight(item, maintainer):
    rows = [{"code": "all", "name": "All", "weight": 100, "source": IndicatorSource.EVALUATOR}]

    indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert codes_of(item) == ["all"]


def test_repeated_codes_are_refused(item, maintainer):
    rows = indicator_rows(judgement={"code": "meals"})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["duplicate_code"]
    assert "repeated: meals" in caught.value.messages[0]
    assert codes_of(item) == []


def test_an_unknown_source_is_refused(item, maintainer):
    rows = indicator_rows(judgement={"source": "gut_feeling"})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["invalid_source"]
    assert caught.value.messages[0].startswith("judgement: choose a source among")


@pytest.mark.parametrize("target", [None, ""])
def test_an_output_indicator_needs_a_target(item, maintainer, target):
    rows = indicator_rows(meals={"target": target})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["target_required"]
    assert codes_of(item) == []


@pytest.mark.parametrize("target", [0, -5, "many"])
def test_a_target_must_be_a_positive_number(item, maintainer, target):
    rows = indicator_rows(meals={"target": target})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["target_invalid"]


@pytest.mark.parametrize("changes", [{"code": "two words"}, {"name": ""}])
def test_the_models_field_rules_apply_to_each_indicator(item, maintainer, changes):
    rows = indicator_rows(judgement=changes)

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["invalid_field"]
    assert codes_of(item) == []


def test_every_problem_of_a_set_is_reported_at_once(item, maintainer):
    rows = indicator_rows(meals={"target": None}, judgement={"source": "gut_feeling", "weight": 30})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["target_required", "invalid_source", "weights_sum"]


# --- replacing a set --------------------------------------------------------------------------


def test_setting_again_replaces_the_set_as_a_whole(item, maintainer):
    first = {i.code: i for i in indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)}
    rows = [row for row in indicator_rows(satisfaction={"weight": 30}) if row["code"] != "inspections"]

    second = {i.code: i for i in indicators_set(service_item=item, indicators=rows, user=maintainer)}

    assert codes_of(item) == ["judgement", "meals", "record", "satisfaction"]
    assert second["satisfaction"].pk == first["satisfaction"].pk
    assert Indicator.objects.get(pk=first["satisfaction"].pk).weight == 30
    assert not Indicator.objects.filter(pk=first["inspections"].pk).exists()
    assert audit_actions([first["satisfaction"]]) == [AuditAction.CREATE, AuditAction.CHANGE]
    assert audit_actions([first["inspections"]]) == [AuditAction.CREATE, AuditAction.DELETE]


def test_an_unchanged_indicator_keeps_its_row_and_writes_no_entry(item, maintainer):
    first = indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)

    second = indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)

    assert [i.pk for i in second] == [i.pk for i in first]
    assert audit_actions(first) == [AuditAction.CREATE] * 5


def test_an_indicator_used_by_an_evaluation_is_kept_when_unchanged(item, maintainer):
    indicators = {i.code: i for i in indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)}
    IndicatorScoreFactory(indicator=indicators["meals"], evaluation__project__service_item=item)
    rows = indicator_rows(satisfaction={"weight": 10}, record={"weight": 30})

    indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert Indicator.objects.get(pk=indicators["meals"].pk).weight == 30
    assert Indicator.objects.get(pk=indicators["record"].pk).weight == 30


def test_an_indicator_used_by_an_evaluation_cannot_be_removed(item, maintainer):
    indicators = {i.code: i for i in indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)}
    IndicatorScoreFactory(indicator=indicators["inspections"], evaluation__project__service_item=item)
    rows = [row for row in indicator_rows(satisfaction={"weight": 30}) if row["code"] != "inspections"]

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["indicator_in_use"]
    assert "inspections have been used in evaluations" in caught.value.messages[0]
    assert codes_of(item) == sorted(indicators)
    assert Indicator.objects.get(pk=indicators["satisfaction"].pk).weight == 20


def test_an_indicator_used_by_an_evaluation_cannot_be_changed(item, maintainer):
    indicators = {i.code: i for i in indicators_set(service_item=item, indicators=indicator_rows(), user=maintainer)}
    IndicatorScoreFactory(indicator=indicators["meals"], evaluation__project__service_item=item)
    rows = indicator_rows(meals={"target": 500})

    with pytest.raises(ValidationError) as caught:
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert error_codes(caught) == ["indicator_in_use"]
    assert Indicator.objects.get(pk=indicators["meals"].pk).target == Decimal("1000.00")
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE).count() == 0


def test_a_refused_set_leaves_the_existing_indicators_untouched(item, maintainer):
    IndicatorFactory(service_item=item, code="old", weight=100)
    rows = indicator_rows(judgement={"weight": 5})

    with pytest.raises(ValidationError):
        indicators_set(service_item=item, indicators=rows, user=maintainer)

    assert codes_of(item) == ["old"]
    assert not AuditEntry.objects.exists()
