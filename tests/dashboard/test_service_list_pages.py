"""The officials' service-list pages: editing a draft, comparing it, publishing, and moving a project to the
version in force."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from common.actors import TRUSTED
from coproduction.models import Stage
from service_list.models import ListItemStatus, Pricing, ServiceListItem
from service_list.services import list_item_new_version, list_item_publish
from tests import factories
from tests.pages import official_of, queries_to_get, street_official_of

pytestmark = pytest.mark.django_db
SERVICE_LIST = reverse("dashboard:service_list")


def url(name, obj):
    return reverse(f"dashboard:{name}", kwargs={"pk": obj.pk})


@pytest.fixture
def maintainer(client):
    user = street_official_of(factories.StreetFactory())
    client.force_login(user)
    return user


@pytest.fixture
def draft():
    published = factories.ServiceListItemFactory(code="housekeeping", name="Housekeeping", pricing=Pricing.SUBSIDISED)
    return list_item_new_version(item=published, user=TRUSTED)


def edit_data(item, **changes):
    """The edit form as the page fills it in, with `changes` typed over it."""
    data = {
        "category": item.category_id,
        "name": item.name,
        "description": item.description,
        "nature": item.nature,
        "standard": item.standard,
        "pricing": item.pricing,
        "unit_label": item.unit_label,
        "unit_price": item.unit_price or "",
        "subsidy_per_unit": item.subsidy_per_unit or "",
        "pricing_note": item.pricing_note,
        "specific_assets_note": item.specific_assets_note,
        **{
            field: "on"
            for field in (
                "allows_government",
                "allows_enterprise",
                "allows_ngo",
                "allows_resident_group",
                "needs_specific_assets",
            )
            if getattr(item, field)
        },
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


# --- The list ------------------------------------------------------------------------------------


def test_the_list_names_versions_by_number_and_offers_a_draft_edit_compare_and_publish(client, maintainer, draft):
    page = client.get(SERVICE_LIST).content.decode()

    assert url("service_item_edit", draft) in page and url("service_item_compare", draft) in page
    assert url("service_item_publish", draft) in page
    assert "version 2" in page and "housekeeping" not in page


def test_the_list_in_chinese_shows_the_version_label_and_no_code(client, maintainer, draft):
    page = client.get(SERVICE_LIST, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()

    assert "第2版" in page and "修改" in page and "对比" in page
    assert "housekeeping" not in page and "(v2)" not in page


def test_the_list_makes_as_many_queries_for_30_drafts_as_for_3(client, maintainer):
    factories.ServiceListItemFactory.create_batch(3, draft=True)
    few = queries_to_get(client, SERVICE_LIST)
    factories.ServiceListItemFactory.create_batch(27, draft=True)
    assert queries_to_get(client, SERVICE_LIST) == few


def test_a_new_version_opens_its_edit_page(client, maintainer):
    item = factories.ServiceListItemFactory(code="dining", name="Dining hall")

    response = client.post(url("service_item_new_version", item), follow=True)

    draft = ServiceListItem.objects.get(code="dining", version=2)
    assert response.redirect_chain[-1][0] == url("service_item_edit", draft)
    assert "Dining hall, version 2 is created as a draft" in response.content.decode()


# --- Editing a draft -----------------------------------------------------------------------------


def test_the_edit_page_shows_every_field_of_the_draft(client, maintainer, draft):
    form = client.get(url("service_item_edit", draft)).context["form"]

    assert set(form.fields) == {
        "category",
        "name",
        "description",
        "nature",
        "allows_government",
        "allows_enterprise",
        "allows_ngo",
        "allows_resident_group",
        "standard",
        "pricing",
        "unit_label",
        "unit_price",
        "subsidy_per_unit",
        "pricing_note",
        "needs_specific_assets",
        "specific_assets_note",
    }
    assert form.initial["name"] == "Housekeeping"


def test_a_maintainer_saves_the_draft_and_is_shown_what_it_changes(client, maintainer, draft):
    response = client.post(url("service_item_edit", draft), edit_data(draft, subsidy_per_unit="7.50", allows_ngo=False))

    assert response.status_code == 302 and response.url == url("service_item_compare", draft)
    draft.refresh_from_db()
    assert str(draft.subsidy_per_unit) == "7.50" and not draft.allows_ngo
    assert AuditEntry.objects.filter(object_id=str(draft.pk), action="change", actor=maintainer).exists()


def test_a_refused_edit_names_each_field_keeps_the_input_and_saves_nothing(client, maintainer, draft):
    response = client.post(
        url("service_item_edit", draft),
        edit_data(
            draft,
            name="Housekeeping plus",
            subsidy_per_unit="",
            allows_ngo=False,
            allows_enterprise=False,
        ),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["subsidy_per_unit"] == ["Give the subsidy per unit."]
    assert form.errors["allows_ngo"] == ["Tick at least one kind of participant that may deliver the service."]
    assert 'value="Housekeeping plus"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "Housekeeping"


def test_a_published_version_offers_no_form_and_says_how_to_change_it(client, maintainer):
    published = factories.ServiceListItemFactory(name="Dining hall")

    response = client.get(url("service_item_edit", published))
    posted = client.post(url("service_item_edit", published), edit_data(published, name="Renamed"))

    assert response.context["form"] is None
    assert "Dining hall, version 1 is published and is no longer edited" in response.content.decode()
    assert posted.status_code == 200
    published.refresh_from_db()
    assert published.name == "Dining hall"


def test_a_community_official_may_not_edit_a_draft(client, draft):
    client.force_login(official_of(factories.CommunityFactory()))

    assert client.get(url("service_item_edit", draft)).status_code == 403
    assert client.post(url("service_item_edit", draft), edit_data(draft, name="x")).status_code == 403


# --- Comparing and publishing ------------------------------------------------------------------


def test_the_comparison_marks_the_changed_fields_with_old_and_new_values(client, maintainer, draft):
    client.post(url("service_item_edit", draft), edit_data(draft, subsidy_per_unit="7.50"))

    response = client.get(url("service_item_compare", draft))

    changed = [row for row in response.context["rows"] if row.changed]
    assert [(row.label, row.before, row.after) for row in changed] == [("Subsidy per unit (yuan)", "5.00", "7.50")]
    page = response.content.decode()
    assert '<tr class="changed">' in page and "1 field differs from the published version." in page
    assert url("service_item_publish", draft) in page


def test_the_comparison_speaks_chinese(client, maintainer, draft):
    client.post(url("service_item_edit", draft), edit_data(draft, subsidy_per_unit="7.50"))

    page = client.get(url("service_item_compare", draft), HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()

    assert "单位补贴" in page and "已修改" in page and "Housekeeping（第1版）" in page
    assert "有 1 个字段不同" in page


def test_publishing_the_draft_retires_the_version_it_replaces(client, maintainer, draft):
    response = client.post(url("service_item_publish", draft), follow=True)

    assert "Housekeeping, version 2 is published" in response.content.decode()
    assert ServiceListItem.objects.get(code="housekeeping", version=1).status == ListItemStatus.RETIRED


def test_a_published_version_is_not_compared(client, maintainer):
    published = factories.ServiceListItemFactory(name="Dining hall")

    response = client.get(url("service_item_compare", published))

    page = response.content.decode()
    assert "Only a draft is compared" in page
    assert '<table class="comparison">' not in page and url("service_item_publish", published) not in page


# --- Moving a project to the version in force ----------------------------------------------------


@pytest.fixture
def project_on_a_retired_version(draft):
    project = factories.ProjectFactory(stage=Stage.DESIGN, service_item=ServiceListItem.objects.get(pk=draft.pk - 1))
    list_item_publish(item=draft, user=TRUSTED)
    return project


def test_the_project_page_offers_the_move_only_for_a_retired_version_in_design(client, project_on_a_retired_version):
    project = project_on_a_retired_version
    client.force_login(official_of(project.community))
    current = factories.ProjectFactory(community=project.community, stage=Stage.DESIGN)

    move = url("project_adopt_current_service_version", project)
    assert move in client.get(url("project_detail", project)).content.decode()
    not_offered = url("project_adopt_current_service_version", current)
    assert not_offered not in client.get(url("project_detail", current)).content.decode()


def test_an_official_moves_a_project_in_design_to_the_current_version(client, project_on_a_retired_version, draft):
    project = project_on_a_retired_version
    official = official_of(project.community)
    client.force_login(official)

    response = client.post(url("project_adopt_current_service_version", project), follow=True)

    project.refresh_from_db()
    assert project.service_item_id == draft.pk
    assert "The project now uses Housekeeping, version 2." in response.content.decode()
    entry = AuditEntry.objects.get(content_type__model="project", object_id=str(project.pk), action="change")
    assert entry.actor == official and entry.note == "Moved from Housekeeping, version 1 to Housekeeping, version 2."


def test_a_project_past_design_keeps_its_version_and_the_page_says_why(client, project_on_a_retired_version):
    project = project_on_a_retired_version
    project.stage = Stage.OPERATION
    project.save()
    old_item = project.service_item_id
    client.force_login(official_of(project.community))

    response = client.post(url("project_adopt_current_service_version", project), follow=True)

    project.refresh_from_db()
    assert project.service_item_id == old_item
    assert "Only a project in design moves to another version of its service" in response.content.decode()


def test_another_communitys_project_is_not_found(client, project_on_a_retired_version):
    client.force_login(official_of(factories.CommunityFactory()))

    assert client.post(url("project_adopt_current_service_version", project_on_a_retired_version)).status_code == 404
