"""Officials' inspection pages: inspections per community and project, and recording one with its checklist."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accountability.models import (
    Breach,
    BreachKind,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionTemplate,
)
from audit.models import AuditEntry
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of

pytestmark = pytest.mark.django_db


def list_url(community, query=""):
    return reverse("dashboard:inspection_list", kwargs={"code": community.code}) + query


def record_url(community):
    return reverse("dashboard:inspection_record", kwargs={"code": community.code})


@pytest.fixture
def participation():
    return factories.ParticipationFactory()


@pytest.fixture
def community(participation):
    return participation.project.community


@pytest.fixture
def official(community):
    return official_of(community)


def checklist(*rows, total=4):
    """POST data of the checklist formset: rows of (item, passed, note), then blank rows up to `total`."""
    data = {"checklist-TOTAL_FORMS": str(total), "checklist-INITIAL_FORMS": "0"}
    for index, (item, passed, note) in enumerate(rows):
        data |= {f"checklist-{index}-item": item, f"checklist-{index}-passed": passed, f"checklist-{index}-note": note}
    return data


def inspection_data(participation, *rows, inspected_on=None, notes=""):
    return {
        "project": participation.project.pk,
        "organisation": participation.organisation.pk,
        "inspected_on": (inspected_on or timezone.localdate()).isoformat(),
        "notes": notes,
        **checklist(*rows),
    }


def test_visitors_are_sent_to_the_login_page(client, community):
    response = client.get(record_url(community))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_are_refused(client, community):
    client.force_login(resident_user_of(community))
    assert client.get(list_url(community)).status_code == 403


def test_another_communitys_inspections_are_not_found(client, community):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(list_url(community)).status_code == 404
    assert client.get(record_url(community)).status_code == 404


def test_the_list_shows_the_communitys_inspections_with_their_checklist(client, participation, community, official):
    inspection = factories.InspectionFactory(project=participation.project, organisation=participation.organisation)
    factories.InspectionFactory()  # another community's
    client.force_login(official)

    response = client.get(list_url(community))

    assert list(response.context["inspections"]) == [inspection]
    assert "Kitchen clean" in response.content.decode()


def test_the_list_filters_by_project(client, participation, community, official):
    other = factories.InspectionFactory(project=factories.ProjectFactory(community=community))
    factories.InspectionFactory(project=participation.project)
    client.force_login(official)
    assert list(client.get(list_url(community, f"?project={other.project.pk}")).context["inspections"]) == [other]


def test_the_list_makes_as_many_queries_for_thirty_inspections_as_for_three(client, community, official):
    client.force_login(official)
    factories.InspectionFactory.create_batch(3, project=factories.ProjectFactory(community=community))
    small = queries_to_get(client, list_url(community))
    factories.InspectionFactory.create_batch(27, project=factories.ProjectFactory(community=community))
    assert queries_to_get(client, list_url(community)) == small


def test_the_form_offers_blank_checklist_rows_without_javascript(client, participation, community, official):
    client.force_login(official)
    response = client.get(record_url(community) + f"?project={participation.project.pk}")
    assert len(response.context["checklist"].forms) == 4
    assert 'name="checklist-TOTAL_FORMS"' in response.content.decode()


def test_add_more_rows_reloads_the_form_with_what_was_typed_and_more_blank_rows(client, participation, official):
    client.force_login(official)
    data = inspection_data(participation, ("Kitchen clean", "yes", "spotless"), notes="Lunch service")
    data["more_rows"] = "1"

    response = client.post(record_url(participation.project.community), data)

    rows = response.context["checklist"].forms
    assert len(rows) == 5
    assert rows[0]["item"].value() == "Kitchen clean" and rows[0]["passed"].value() == "yes"
    assert response.context["form"]["notes"].value() == "Lunch service"
    assert not response.context["form"].errors
    assert not Inspection.objects.exists()


def test_an_official_records_a_passed_inspection(client, participation, official):
    client.force_login(official)

    response = client.post(
        record_url(participation.project.community),
        inspection_data(participation, ("Kitchen clean", "yes", ""), ("Food kept cold", "yes", "4°C")),
    )

    inspection = Inspection.objects.get()
    assert response.status_code == 302 and f"?project={participation.project.pk}" in response.url
    assert inspection.result == InspectionResult.PASSED and inspection.inspector == official
    assert inspection.checklist == [
        {"item": "Kitchen clean", "passed": True, "note": ""},
        {"item": "Food kept cold", "passed": True, "note": "4°C"},
    ]


def test_a_failed_inspection_opens_a_breach(client, participation, official):
    client.force_login(official)
    client.post(
        record_url(participation.project.community),
        inspection_data(participation, ("Kitchen clean", "no", "grease"), ("Food kept cold", "no", "")),
    )
    inspection = Inspection.objects.get()
    assert inspection.result == InspectionResult.FAILED
    assert Breach.objects.get().kind == BreachKind.FAILED_INSPECTION


def test_an_unmarked_item_is_refused_with_the_input_kept_and_nothing_written(client, participation, official):
    client.force_login(official)
    entries = AuditEntry.objects.count()

    response = client.post(
        record_url(participation.project.community),
        inspection_data(participation, ("Kitchen clean", "", "not checked"), notes="Morning visit"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Say whether “Kitchen clean” passed."]
    assert response.context["checklist"].forms[0]["note"].value() == "not checked"
    assert response.context["form"]["notes"].value() == "Morning visit"
    assert not Inspection.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_an_empty_checklist_is_refused(client, participation, official):
    client.force_login(official)
    response = client.post(record_url(participation.project.community), inspection_data(participation))
    assert response.context["form"].non_field_errors() == ["List at least one checklist item."]
    assert not Inspection.objects.exists()


def test_a_future_date_is_refused_on_its_field(client, participation, official):
    client.force_login(official)
    response = client.post(
        record_url(participation.project.community),
        inspection_data(
            participation, ("Kitchen clean", "yes", ""), inspected_on=timezone.localdate() + timedelta(days=2)
        ),
    )
    assert response.context["form"].errors["inspected_on"] == ["An inspection cannot be recorded for a future date."]
    assert not Inspection.objects.exists()


def test_an_organisation_outside_the_project_is_refused_on_its_field(client, participation, community, official):
    elsewhere = factories.ParticipationFactory(project=factories.ProjectFactory(community=community))
    client.force_login(official)
    data = inspection_data(participation, ("Kitchen clean", "yes", "")) | {"organisation": elsewhere.organisation.pk}
    response = client.post(record_url(community), data)
    refusal = "The inspected organisation must take part in the project."
    assert response.context["form"].errors["organisation"] == [refusal]
    assert not Inspection.objects.exists()


# --- Choosing the project first, templates, photos -------------------------------------------


def jpeg_upload(name="kitchen.jpg"):
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 10)).save(output, "JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def test_the_form_first_asks_for_the_project(client, participation, community, official):
    client.force_login(official)
    response = client.get(record_url(community))
    assert "chooser" in response.context and "checklist" not in response.context
    assert f'value="{participation.project.pk}"' in response.content.decode()


def test_only_the_chosen_projects_current_participants_are_offered(client, participation, community, official):
    left = factories.ParticipationFactory(project=participation.project, left_on=timezone.localdate())
    elsewhere = factories.ParticipationFactory(project=factories.ProjectFactory(community=community))
    client.force_login(official)

    response = client.get(record_url(community) + f"?project={participation.project.pk}")

    offered = list(response.context["form"].fields["organisation"].queryset)
    assert offered == [participation.organisation]
    assert left.organisation not in offered and elsewhere.organisation not in offered


def test_the_checklist_starts_from_the_service_items_template(client, participation, community, official):
    InspectionTemplate.objects.create(
        service_item=participation.project.service_item,
        items=["Kitchen clean", "Food kept cold"],
        updated_at=timezone.now(),
        updated_by=official,
    )
    client.force_login(official)

    response = client.get(record_url(community) + f"?project={participation.project.pk}")

    rows = response.context["checklist"].forms
    assert [row["item"].value() for row in rows[:2]] == ["Kitchen clean", "Food kept cold"]
    assert len(rows) == 2 + 4


def test_an_inspection_is_recorded_with_a_photo_shown_only_to_the_communitys_officials(
    client, participation, community, official
):
    client.force_login(official)
    data = inspection_data(participation, ("Kitchen clean", "yes", "")) | {"photos": [jpeg_upload()]}

    assert client.post(record_url(community), data).status_code == 302

    photo = Inspection.objects.get().photos.get()
    photo_url = reverse("dashboard:inspection_photo", kwargs={"pk": photo.inspection_id, "photo_id": photo.pk})
    assert photo_url in client.get(list_url(community)).content.decode()
    download = client.get(photo_url)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(photo_url).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_on_the_photos_field(client, participation, community, official):
    client.force_login(official)
    fake = SimpleUploadedFile("kitchen.jpg", b"not an image at all", content_type="image/jpeg")
    data = inspection_data(participation, ("Kitchen clean", "yes", ""), notes="Morning") | {"photos": [fake]}

    response = client.post(record_url(community), data)

    assert response.status_code == 200
    assert "its contents were checked" in str(response.context["form"].errors["photos"])
    assert response.context["form"]["notes"].value() == "Morning"
    assert not Inspection.objects.exists()


def stored_photo(inspection):
    return InspectionPhoto.objects.create(
        inspection=inspection,
        image=f"inspections/{inspection.pk}/a.jpg",
        content_type="image/jpeg",
        width=4,
        height=3,
        uploaded_at=timezone.now(),
    )


def test_the_list_with_photos_makes_as_many_queries_for_thirty_inspections_as_for_three(client, community, official):
    client.force_login(official)
    project = factories.ProjectFactory(community=community)
    for inspection in factories.InspectionFactory.create_batch(3, project=project):
        stored_photo(inspection)
    small = queries_to_get(client, list_url(community))
    for inspection in factories.InspectionFactory.create_batch(27, project=project):
        stored_photo(inspection)
    assert queries_to_get(client, list_url(community)) == small


def test_an_official_writes_a_template_from_the_inspections_page(client, participation, community, official):
    client.force_login(official)
    item = participation.project.service_item
    templates = reverse("dashboard:inspection_templates", kwargs={"code": community.code})
    edit = reverse("dashboard:inspection_template_edit", kwargs={"code": community.code, "item_id": item.pk})
    assert templates in client.get(list_url(community)).content.decode()
    assert edit in client.get(templates).content.decode()

    response = client.post(edit, {"items": "Kitchen clean\n\nFood kept cold\n"})

    assert response.status_code == 302
    assert item.inspection_template.items == ["Kitchen clean", "Food kept cold"]


def test_a_repeated_template_item_is_refused_with_the_text_kept(client, participation, community, official):
    client.force_login(official)
    item = participation.project.service_item
    edit = reverse("dashboard:inspection_template_edit", kwargs={"code": community.code, "item_id": item.pk})

    response = client.post(edit, {"items": "Kitchen clean\nKitchen clean"})

    assert response.context["form"].errors["items"] == ["Each checklist item may appear only once."]
    assert response.context["form"]["items"].value() == "Kitchen clean\nKitchen clean"


def test_an_item_the_community_does_not_deliver_is_not_found(client, community, official):
    client.force_login(official)
    other = factories.ServiceListItemFactory()
    edit = reverse("dashboard:inspection_template_edit", kwargs={"code": community.code, "item_id": other.pk})
    assert client.get(edit).status_code == 404
