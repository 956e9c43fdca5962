"""The public downloads: service list, calls and awards of a community as CSV (with a UTF-8 BOM)
and JSON, with the same stable columns, the same public rule as the page, and bounded queries."""

import csv
import io
import json

import pytest
from django.urls import reverse

from coproduction.models import CallStatus, Stage
from tests import factories
from tests.pages import queries_to_get
from tests.transparency.public_record import AWARD_REASON, award, awarded_project
from transparency.datasets import AWARDS, CALLS, SERVICE_LIST

pytestmark = pytest.mark.django_db


def url_of(community, dataset, extension):
    return reverse("transparency:download", kwargs={"code": community.code, "dataset": dataset, "extension": extension})


def csv_rows(client, community, dataset) -> list[dict]:
    response = client.get(url_of(community, dataset, "csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def json_document(client, community, dataset) -> dict:
    response = client.get(url_of(community, dataset, "json"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_awards_csv_starts_with_a_bom_and_the_documented_columns(client, community, project):
    response = client.get(url_of(community, "awards", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="houtai-awards.csv"'
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert header == AWARDS.column_names


def test_the_awards_csv_holds_partner_amounts_reason_and_grades(client, community, project):
    [row] = csv_rows(client, community, "awards")
    assert row["project"] == "Elderly dining hall"
    assert row["awarded_to"] == "Sunshine Elderly Care"
    assert row["awarded_amount_yuan"] == "86000.00" and row["budget_yuan"] == "120000.00"
    assert row["award_reason"] == AWARD_REASON
    assert row["contributions_money_yuan"] == "30000.00" and row["contributions_total_yuan"] == "35000.00"
    assert (row["latest_grade"], row["final_grade"], row["final_score"]) == ("A", "A", "91.00")
    assert row["partners"] == "Sunshine Elderly Care (lead)"
    assert (row["satisfaction_mean"], row["satisfaction_ratings"]) == ("4.33", "3")


def test_chinese_names_survive_the_csv(client, community):
    awarded_project(community, name="长者食堂", organisation_name="阳光养老服务中心")
    [row] = csv_rows(client, community, "awards")
    assert (row["project"], row["awarded_to"]) == ("长者食堂", "阳光养老服务中心")


def test_a_project_with_two_awards_has_a_row_for_each(client, community, project):
    second = factories.CallFactory(project=project, title="Second call")
    award(second, factories.OrganisationFactory(name="Second winner"), reason="Evening meals")
    rows = csv_rows(client, community, "awards")
    assert [row["awarded_to"] for row in rows] == ["Sunshine Elderly Care", "Second winner"]


def test_a_project_given_without_a_call_has_one_row_with_empty_award_columns(client, community):
    factories.ProjectFactory(community=community, name="Street-run sanitation")
    [row] = csv_rows(client, community, "awards")
    assert (row["project"], row["awarded_to"], row["award_reason"]) == ("Street-run sanitation", "", "")


def test_the_awards_json_holds_the_same_columns_with_lists_as_lists(client, community, project):
    document = json_document(client, community, "awards")
    assert document["columns"] == AWARDS.column_names
    assert document["community"] == {"code": "houtai", "name": "Houtai"}
    [row] = document["rows"]
    assert list(row) == AWARDS.column_names
    assert row["partners"] == [{"organisation": "Sunshine Elderly Care", "kind": "ngo", "role": "lead"}]
    assert row["awarded_amount_yuan"] == "86000.00" and row["final_grade"] == "A"


def test_the_downloads_leave_out_what_is_not_public(client, community):
    draft = factories.ServiceListItemFactory(draft=True)
    factories.ProjectFactory(community=community, stage=Stage.DESIGN, name="Still a plan", service_item=draft)
    factories.CallFactory(project__community=community, project__service_item=draft, status=CallStatus.REVIEWING)
    assert csv_rows(client, community, "awards") == []
    assert csv_rows(client, community, "calls") == []
    assert json_document(client, community, "service-list")["rows"] == []


def test_the_downloads_name_no_person(client, community, project):
    names = [rating.resident.name for rating in project.ratings.select_related("resident")]
    phones = [rating.resident.phone for rating in project.ratings.select_related("resident")]
    awarded_by = project.calls.get().awarded_by
    for dataset in ("awards", "calls", "service-list"):
        for extension in ("csv", "json"):
            text = client.get(url_of(community, dataset, extension)).content.decode()
            assert not any(value in text for value in [*names, *phones, awarded_by.username])


def test_the_calls_csv_lists_open_calls_with_weighted_criteria(client, community):
    call = factories.CallFactory(project__community=community, title="Call for home visits")
    factories.CriterionFactory(call=call, name="Training", weight=70)
    factories.CriterionFactory(call=call, name="Price", weight=30)
    [row] = csv_rows(client, community, "calls")
    assert list(row) == CALLS.column_names
    assert (row["title"], row["status"], row["criteria"]) == (
        "Call for home visits",
        "open",
        "Training (70); Price (30)",
    )
    assert row["awarded_to"] == ""


def test_the_calls_json_holds_the_award_of_an_awarded_call(client, community, project):
    [row] = json_document(client, community, "calls")["rows"]
    assert (row["status"], row["awarded_to"], row["award_reason"]) == ("awarded", "Sunshine Elderly Care", AWARD_REASON)
    assert row["criteria"] == [{"name": "Experience", "weight": 60}, {"name": "Price", "weight": 40}]


def test_the_service_list_csv_holds_the_current_version_with_who_may_deliver(client, community):
    factories.ServiceListItemFactory(code="dining", name="Dining hall", allows_government=True)
    [row] = csv_rows(client, community, "service-list")
    assert list(row) == SERVICE_LIST.column_names
    assert (row["code"], row["nature"], row["may_deliver"]) == ("dining", "welfare", "government; enterprise; ngo")
    assert row["needs_specific_assets"] == "false"


def test_an_unknown_dataset_is_not_found(client, community):
    assert client.get(f"/public/communities/{community.code}/people.csv").status_code == 404


def test_an_unknown_community_has_no_downloads(client):
    assert client.get("/public/communities/nowhere/awards.json").status_code == 404


@pytest.mark.parametrize("dataset", ["awards", "calls", "service-list"])
def test_each_download_makes_as_many_queries_for_ten_times_the_data(client, dataset):
    small, large = factories.CommunityFactory(), factories.CommunityFactory()
    for community, count in ((small, 2), (large, 20)):
        for number in range(count):
            awarded_project(community, name=f"Project {number}", organisation_name=f"Org {community.pk}-{number}")
            factories.CallFactory(project__community=community)
    small_queries = queries_to_get(client, url_of(small, dataset, "csv"))
    assert small_queries == queries_to_get(client, url_of(large, dataset, "csv"))
