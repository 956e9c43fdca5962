"""Editing a draft version of a service-list item, comparing it with the published version, and the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from common.actors import TRUSTED
from service_list.models import ListItemStatus, Pricing, ServiceNature
from service_list.selectors import list_item_comparison, list_item_current_version
from service_list.services import list_item_new_version, list_item_update
from tests.factories import (
    CommunityFactory,
    OfficialPostFactory,
    ServiceCategoryFactory,
    ServiceListItemFactory,
    StreetFactory,
)
from tests.pages import official_of, street_official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def maintainer():
    return street_official_of(StreetFactory())


@pytest.fixture
def draft():
    published = ServiceListItemFactory(name="Dining hall", code="dining")
    return list_item_new_version(item=published, user=TRUSTED)


def refused_fields(caught) -> dict[str, set[str]]:
    return {field: {error.code for error in errors} for field, errors in caught.value.error_dict.items()}


def test_a_maintainer_edits_every_field_of_a_draft(draft, maintainer):
    category = ServiceCategoryFactory(name="Elderly care")

    updated = list_item_update(
        item=draft,
        user=maintainer,
        category=category,
        name="Dining hall and delivery",
        description="Two meals",
        nature=ServiceNature.BASIC_PUBLIC,
        allows_government=True,
        allows_enterprise=False,
        allows_ngo=True,
        allows_resident_group=True,
        standard="  Hot meals by noon.  ",
        pricing=Pricing.SUBSIDISED,
        unit_label="meal",
        unit_price=Decimal("16.00"),
        subsidy_per_unit=Decimal("6.00"),
        pricing_note="6 yuan for the over-60s",
        needs_specific_assets=True,
        specific_assets_note="A fitted kitchen",
    )

    updated.refresh_from_db()
    assert updated.category == category and updated.name == "Dining hall and delivery"
    assert updated.standard == "Hot meals by noon."
    assert updated.eligible_kinds == ["government", "ngo", "resident_group"]
    assert (updated.unit_price, updated.subsidy_per_unit) == (Decimal("16.00"), Decimal("6.00"))
    assert updated.status == ListItemStatus.DRAFT and updated.version == 2


def test_an_edit_is_audited_with_the_values_before_and_after(draft, maintainer):
    list_item_update(item=draft, user=maintainer, subsidy_per_unit=Decimal("6.00"))

    entry = AuditEntry.objects.filter(object_id=str(draft.pk), action="change").get()
    assert entry.actor == maintainer
    assert (entry.before["subsidy_per_unit"], entry.after["subsidy_per_unit"]) == ("5.00", "6.00")


def test_an_edit_that_changes_nothing_writes_no_audit_entry(draft, maintainer):
    list_item_update(item=draft, user=maintainer, name=draft.name)

    assert not AuditEntry.objects.filter(object_id=str(draft.pk), action="change").exists()


def test_a_published_version_is_refused_with_the_way_forward(maintainer):
    published = ServiceListItemFactory(name="Dining hall")

    with pytest.raises(ValidationError) as caught:
        list_item_update(item=published, user=maintainer, name="Renamed")

    assert caught.value.code == "not_a_draft"
    assert caught.value.message.startswith("Dining hall, version 1 is published")
    assert "create a new version of it, edit that draft, then publish it" in caught.value.message
    published.refresh_from_db()
    assert published.name == "Dining hall"


def test_a_retired_version_is_refused_naming_it(maintainer):
    retired = ServiceListItemFactory(name="Dining hall", status=ListItemStatus.RETIRED)

    with pytest.raises(ValidationError) as caught:
        list_item_update(item=retired, user=maintainer, name="Renamed")

    assert caught.value.code == "not_a_draft"
    assert caught.value.message.startswith("Dining hall, version 1 is retired")


def test_a_community_official_may_not_edit_the_list(draft):
    with pytest.raises(PermissionDenied):
        list_item_update(item=draft, user=official_of(CommunityFactory()), name="Renamed")

    draft.refresh_from_db()
    assert draft.name == "Dining hall"


def test_every_broken_rule_is_named_at_once_and_nothing_is_saved(draft, maintainer):
    with pytest.raises(ValidationError) as caught:
        list_item_update(
            item=draft,
            user=maintainer,
            name=" ",
            standard="",
            allows_ngo=False,
            allows_enterprise=False,
            pricing=Pricing.USER_PAYS,
            unit_price=None,
            needs_specific_assets=True,
            specific_assets_note="",
        )

    assert refused_fields(caught) == {
        "name": {"name_required"},
        "standard": {"standard_required"},
        "allows_ngo": {"no_kind_may_deliver"},
        "unit_price": {"price_required"},
        "specific_assets_note": {"assets_required"},
    }
    draft.refresh_from_db()
    assert draft.name == "Dining hall" and draft.allows_ngo


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"pricing": Pricing.FREE, "unit_price": Decimal("3.00")}, "unit_price", "free_has_price"),
        ({"subsidy_per_unit": None}, "subsidy_per_unit", "subsidy_required"),
        ({"subsidy_per_unit": Decimal("20.00")}, "subsidy_per_unit", "subsidy_above_price"),
        ({"unit_price": Decimal("-1.00")}, "unit_price", "amount_negative"),
        ({"nature": "charity"}, "nature", "invalid_choice"),
        ({"unit_label": "x" * 31}, "unit_label", "max_length"),
    ],
)
def test_pricing_and_field_rules_are_refused_on_their_field(draft, maintainer, changes, field, code):
    with pytest.raises(ValidationError) as caught:
        list_item_update(item=draft, user=maintainer, **changes)

    assert code in refused_fields(caught)[field]


def test_a_free_service_may_name_the_subsidy_the_government_pays(draft, maintainer):
    updated = list_item_update(
        item=draft,
        user=maintainer,
        pricing=Pricing.FREE,
        unit_price=None,
        subsidy_per_unit=Decimal("120.00"),
    )

    assert updated.pricing == Pricing.FREE and updated.subsidy_per_unit == Decimal("120.00")


def test_the_code_version_and_status_are_not_edited(draft, maintainer):
    with pytest.raises(TypeError):
        list_item_update(item=draft, user=maintainer, status=ListItemStatus.PUBLISHED)


def test_the_comparison_marks_only_the_changed_fields(draft, maintainer):
    list_item_update(item=draft, user=maintainer, subsidy_per_unit=Decimal("6.00"), allows_government=True)
    current = list_item_current_version(code="dining")

    draft.refresh_from_db()
    rows = {row.field: row for row in list_item_comparison(current=current, draft=draft)}

    assert {field for field, row in rows.items() if row.changed} == {"subsidy_per_unit", "allows_government"}
    assert (rows["subsidy_per_unit"].before, rows["subsidy_per_unit"].after) == ("5.00", "6.00")
    assert (rows["allows_government"].before, rows["allows_government"].after) == ("No", "Yes")
    assert rows["nature"].after == "Welfare service"
    assert rows["category"].label == "Category"


def test_without_a_published_version_every_filled_field_counts_as_changed():
    draft = ServiceListItemFactory(draft=True)

    rows = list_item_comparison(current=list_item_current_version(code=draft.code), draft=draft)

    assert all(row.before == "—" for row in rows)
    assert all(row.changed for row in rows if row.after != "—")


def test_a_version_is_named_by_its_name_and_number_never_its_code():
    item = ServiceListItemFactory.build(name="Housekeeping", code="housekeeping", version=3)

    assert item.version_label == str(item) == "Housekeeping, version 3"


# --- The API ----------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def update_url(item) -> str:
    return f"/api/v1/service-items/{item.pk}/update/"


def test_the_api_edits_a_draft_through_the_same_service(draft, maintainer):
    category = ServiceCategoryFactory(code="elderly-care")

    response = api_for(maintainer).post(
        update_url(draft),
        {
            "category": "elderly-care",
            "eligible_kinds": ["government", "ngo"],
            "subsidy_per_unit": "6.00",
        },
        format="json",
    )

    assert response.status_code == 200, response.data
    assert response.data["eligible_kinds"] == ["government", "ngo"]
    assert response.data["subsidy_per_unit"] == "6.00"
    draft.refresh_from_db()
    assert draft.category == category and not draft.allows_enterprise
    assert AuditEntry.objects.filter(object_id=str(draft.pk), action="change", actor=maintainer).exists()


def test_the_api_names_the_field_a_rule_refuses(draft, maintainer):
    response = api_for(maintainer).post(update_url(draft), {"pricing": "user_pays", "unit_price": None}, format="json")

    assert response.status_code == 400
    assert response.data["code"] == "price_required" and "unit_price" in response.data["errors"]


def test_the_api_answers_409_for_a_published_version(maintainer):
    published = ServiceListItemFactory()

    response = api_for(maintainer).post(update_url(published), {"name": "Renamed"}, format="json")

    assert response.status_code == 409 and response.data["code"] == "not_a_draft"


def test_the_api_refuses_a_community_official(draft):
    published = ServiceListItemFactory()
    official = OfficialPostFactory().user

    assert api_for(official).post(update_url(draft), {"name": "x"}, format="json").status_code == 404
    assert api_for(official).post(update_url(published), {"name": "x"}, format="json").status_code == 403


# --- The admin --------------------------------------------------------------------------------


def admin_data(item, **changes):
    fields = [
        "category",
        "name",
        "description",
        "nature",
        "standard",
        "pricing",
        "unit_label",
        "unit_price",
        "subsidy_per_unit",
        "pricing_note",
        "specific_assets_note",
    ]
    data = {field: getattr(item, f"{field}_id", None) or getattr(item, field) or "" for field in fields}
    data.update(
        {
            "allows_ngo": "on",
            "allows_enterprise": "on",
            "indicators-TOTAL_FORMS": 0,
            "indicators-INITIAL_FORMS": 0,
            "indicators-MIN_NUM_FORMS": 0,
            "indicators-MAX_NUM_FORMS": 1000,
        }
    )
    data.update(changes)
    return data


def test_the_admin_edits_a_draft_through_the_service(admin_client, draft):
    response = admin_client.post(
        reverse("admin:services_servicelistitem_change", args=[draft.pk]),
        admin_data(draft, subsidy_per_unit="6.00"),
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(draft.pk), action="change")
    assert (entry.before["subsidy_per_unit"], entry.after["subsidy_per_unit"]) == ("5.00", "6.00")


def test_the_admin_shows_the_lists_rules_on_their_fields(admin_client, draft):
    response = admin_client.post(
        reverse("admin:services_servicelistitem_change", args=[draft.pk]),
        admin_data(draft, subsidy_per_unit=""),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["subsidy_per_unit"] == ["Give the subsidy per unit."]
    draft.refresh_from_db()
    assert draft.subsidy_per_unit == Decimal("5.00")
