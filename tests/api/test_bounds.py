"""Bounds at the edge, generated from the schema: every list filter and every write refuses a value
beyond its bounds with a 400 naming the field (a page beyond the end with the documented 404), never a 5xx.

The cases are read from /api/schema/ when the test runs: each list operation's integer, date,
date-time and text query parameters, each write's integer, string, date and date-time body fields,
and each write's JSON body as a whole (nested too deep), get one request per class of bad value. A
new filter or field is covered without touching this file.
"""

import json
from datetime import date, timedelta

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accountability.models import Duty, DutyStatus, Recurrence
from common.bounds import MAX_FORM_TEXT, MAX_JSON_DEPTH
from coproduction.models import Stage
from tests.factories import (
    ApplicationFactory,
    BreachFactory,
    CallFactory,
    ClaimFactory,
    CommunityFactory,
    ComplaintFactory,
    DutyFactory,
    InspectionTemplateFactory,
    NeedFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentFactory,
    RiskFactory,
    ServiceListItemFactory,
    ServiceReportFactory,
    TaskFactory,
    UserFactory,
)
from tests.needs import require_postgresql

pytestmark = pytest.mark.django_db

# Beyond every integer column, and beyond 64 bits: SQLite compares it, PostgreSQL cannot.
HUGE = "99999999999999999999"
FAR_DATE = "5735-06-27"
FAR_DATE_TIME = "5735-06-27T17:34:02Z"
ODD_OFFSET = "2026-06-27T17:34:02-23:16"
LONG_STRING = "x" * 10_000


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolved(schema: dict, ref_or_schema: dict) -> dict:
    if "$ref" in ref_or_schema:
        return schema["components"]["schemas"][ref_or_schema["$ref"].rsplit("/", 1)[1]]
    return ref_or_schema


def _kind(field_schema: dict) -> str | None:
    """integer, date, date-time, string (bounded text) or None for a field this test does not probe."""
    types = field_schema.get("type")
    if isinstance(types, list):
        types = next((kind for kind in types if kind != "null"), None)
    if types in ("integer", "number"):
        return "integer"
    if types == "string":
        if field_schema.get("format") in ("date", "date-time"):
            return field_schema["format"]
        if "enum" not in field_schema and field_schema.get("format") not in ("binary", "uri", "decimal"):
            return "string"
    return None


def _list_parameters(schema: dict) -> list[tuple[str, str, str]]:
    """(path, parameter, kind) for every integer, date, date-time and text query parameter of every list."""
    cases = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            kind = _kind(parameter.get("schema", {}))
            if kind is not None:
                cases.append((path, parameter["name"], kind))
    return cases


def _body_fields(schema: dict) -> list[tuple[str, str, str, str, str]]:
    """(method, path, field, kind) for every integer, bounded string, date and date-time of every write."""
    cases = []
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch"):
            operation = operations.get(method)
            if operation is None or "requestBody" not in operation:
                continue
            content = operation["requestBody"]["content"]
            media = content.get("application/json") or content.get("multipart/form-data")
            body = _resolved(schema, media["schema"])
            body_format = "json" if "application/json" in content else "multipart"
            for field, field_schema in body.get("properties", {}).items():
                field_schema = _resolved(schema, field_schema) if "$ref" in field_schema else field_schema
                if field_schema.get("readOnly"):
                    continue
                kind = _kind(field_schema)
                if kind == "string" and "maxLength" not in field_schema:
                    # Text without a stated bound (a narrative, a reason) must still never be a 5xx.
                    kind = "text"
                if kind is not None:
                    cases.append((method, path, field, kind, body_format))
    return cases


# Longer than any text filter takes (a form field's bound, ?search='s being shorter still).
LONG_QUERY = "x" * (MAX_FORM_TEXT + 1)
BAD_QUERY_VALUES = {
    "integer": [HUGE],
    "date": [FAR_DATE],
    "date-time": [FAR_DATE_TIME, ODD_OFFSET],
    "string": [LONG_QUERY],
}
BAD_BODY_VALUES = {
    "integer": [int(HUGE)],
    "string": [LONG_STRING],
    "text": [LONG_STRING],
    "date": [FAR_DATE],
    "date-time": [FAR_DATE_TIME, ODD_OFFSET],
}


@pytest.fixture
def rows():
    """One row of every kind a path id may name, visible to the administrator."""
    community = CommunityFactory()
    item = ServiceListItemFactory()
    project = ProjectFactory(community=community, service_item=item)
    provider = OrganisationFactory(home_community=community)
    participation = ParticipationFactory(project=project, organisation=provider)
    resident = ResidentFactory(community=community, user=UserFactory())
    task = TaskFactory(project=project, capacity=2)
    ClaimFactory(task=task, resident=resident)
    call = CallFactory(project=ProjectFactory(community=community, service_item=item))
    ApplicationFactory(call=call, organisation=provider)
    ServiceReportFactory(project=project, organisation=provider)
    duty = DutyFactory(project=project, accountable=participation)
    ComplaintFactory(project=project, resident=resident, routed_to=provider)
    BreachFactory(project=project, duty=duty)
    RiskFactory(community=community)
    NeedFactory(community=community, resident=resident)
    InspectionTemplateFactory(service_item=item)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


@pytest.fixture
def admin_client():
    client = APIClient(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _url(path: str) -> str:
    """The path with its {id} replaced by the first row of the view's own queryset."""
    if "{" not in path:
        return path
    view = resolve(path.replace("{id}", "1")).func
    model = view.cls.queryset.model
    return path.replace("{id}", str(model._default_manager.order_by("pk").values_list("pk", flat=True).first()))


def _assert_refused(response, field: str, *, allowed=(400,), named=True):
    """The answer is one of `allowed`; a refusal is in the error shape, and a 400 names the field."""
    assert response.status_code in allowed, (response.status_code, response.content[:400])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"message", "code", "errors"}
        if response.status_code == 400 and named:
            assert field in body["errors"], body


def test_every_list_filter_refuses_values_beyond_its_bounds(rows, admin_client, unthrottled):
    require_postgresql("SQLite compares integers of any size and dates of any year")
    failures = []
    for path, parameter, kind in _list_parameters(_schema()):
        for value in BAD_QUERY_VALUES[kind]:
            response = admin_client.get(path, {parameter: value})
            # A range filter's two ends (?on_after=, ?on_before=) are reported under the filter's name.
            field = parameter.removesuffix("_after").removesuffix("_before")
            if parameter == "page":
                allowed = (404,)  # a page beyond the end, however large, is the documented 404
            elif parameter == "cursor":
                allowed = (404,)  # a cursor the list never handed out is DRF's documented 404
            elif parameter == "page_size":
                allowed = (200,)  # a page size above the most is served at the most, as documented
            elif parameter == "ordering":
                allowed = (200,)  # an ordering by a field the list does not offer is ignored, as DRF documents
            else:
                allowed = (400,)
            try:
                _assert_refused(response, field, allowed=allowed)
            except AssertionError as error:
                failures.append((path, parameter, value, str(error)[:300]))
    assert not failures, "\n".join(map(str, failures))


def test_every_write_refuses_body_fields_beyond_their_bounds(rows, admin_client, unthrottled):
    require_postgresql("SQLite stores integers of any size and strings of any length")
    failures = []
    for method, path, field, kind, body_format in _body_fields(_schema()):
        url = _url(path)
        send = getattr(admin_client, method)
        refused_before_input = send(url, {}, format=body_format)
        if refused_before_input.status_code == 403:
            # The administrator may not take this action whatever the body (a resident's complaint):
            # the role is refused before any field is read.
            continue
        for value in BAD_BODY_VALUES[kind]:
            response = send(url, {field: value}, format=body_format)
            if kind == "text":
                # Unbounded text is stored whole, or refused by a rule of the domain: never a 5xx.
                allowed = (200, 201, 400, 409)
            elif kind == "integer":
                # An id beyond any key names no row: where the body names a parent it is the parent's 404.
                allowed = (400, 404)
            else:
                allowed = (400,)
            try:
                _assert_refused(response, field, allowed=allowed, named=kind != "text")
            except AssertionError as error:
                failures.append((method, path, field, str(value)[:30], str(error)[:300]))
    assert not failures, "\n".join(map(str, failures))


def test_every_write_refuses_a_json_body_nested_too_deep(rows, admin_client, unthrottled):
    failures = []
    writes = {
        (method, path) for method, path, _field, _kind, body_format in _body_fields(_schema()) if body_format == "json"
    }
    assert writes
    for method, path in sorted(writes):
        url = _url(path)
        send = getattr(admin_client, method)
        response = send(url, nested(MAX_JSON_DEPTH + 1), content_type="application/json")
        if response.status_code == 403 and send(url, {}, format="json").status_code == 403:
            continue  # the role is refused before the body is read
        try:
            _assert_refused(response, "", allowed=(400,), named=False)
            assert response.json()["code"] == "too_deep", response.json()
        except AssertionError as error:
            failures.append((method, path, str(error)[:300]))
    assert not failures, "\n".join(map(str, failures))


# --- Each case found by probing, as a plain test -----------------------------------------------


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def provider(project):
    return ParticipationFactory(project=project)


def new_duty(project, accountable, **overrides) -> dict:
    return {
        "project": project.pk,
        "title": "Clean the kitchen",
        "accountable": accountable.pk,
        "recurrence": "monthly",
        "next_due_on": "2026-09-07",
        **overrides,
    }


def test_a_calls_reviewer_count_beyond_the_column_is_a_400_on_the_field(client_for, official, community):
    body = {"project": ProjectFactory(community=community).pk, "min_reviewers": 10**12}
    response = client_for(official).post("/api/v1/calls/", body, format="json")
    assert response.status_code == 400
    assert "min_reviewers" in response.json()["errors"]


def test_an_id_filter_beyond_any_row_but_within_a_key_matches_nothing(client_for, official, community):
    ApplicationFactory(call=CallFactory(project=ProjectFactory(community=community)))
    response = client_for(official).get("/api/v1/applications/?community=68719476735")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_score_filter_beyond_its_column_is_a_400_on_the_field(client_for, official):
    response = client_for(official).get(f"/api/v1/ratings/?score={HUGE}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"score"}


@pytest.mark.parametrize("page", [HUGE, str(2**63), "100"])
def test_a_page_beyond_the_end_however_large_is_the_documented_404(client_for, official, community, page):
    ProjectFactory(community=community)
    response = client_for(official).get(f"/api/v1/projects/?page={page}")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_a_page_size_beyond_64_bits_is_served_at_the_largest_page(client_for, official, community):
    ProjectFactory(community=community)
    response = client_for(official).get(f"/api/v1/projects/?page_size={HUGE}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_duty_title_longer_than_its_column_is_a_400_on_the_title(client_for, official, project, provider):
    body = new_duty(project, provider, title="x" * 10_000)
    response = client_for(official).post("/api/v1/duties/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title"}
    assert not Duty.objects.exists()


def test_a_duty_title_as_long_as_its_column_is_taken(client_for, official, project, provider):
    body = new_duty(project, provider, title="x" * Duty._meta.get_field("title").max_length)
    assert client_for(official).post("/api/v1/duties/", body, format="json").status_code == 201


@pytest.mark.parametrize("due", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_a_duty_due_outside_the_plausible_years_is_a_400_on_the_date(client_for, official, project, provider, due):
    response = client_for(official).post("/api/v1/duties/", new_duty(project, provider, next_due_on=due), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"next_due_on"}
    assert not Duty.objects.exists()


def test_a_duty_due_outside_its_project_period_is_a_400_on_the_date(client_for, official, project, provider):
    body = new_duty(project, provider, next_due_on=str(project.end_date + timedelta(days=366)))
    response = client_for(official).post("/api/v1/duties/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "outside_project_period"
    assert set(response.json()["errors"]) == {"next_due_on"}


def test_a_monthly_duty_due_on_the_calendars_last_day_is_completed_not_a_500(client_for, official, project, provider):
    # A row written before due dates were bounded: completing it must not compute a day after 9999-12-31.
    project.end_date = None
    project.save(update_fields=["end_date"])
    duty = DutyFactory(
        project=project, accountable=provider, next_due_on=date(9999, 12, 31), recurrence=Recurrence.MONTHLY
    )
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/complete/", {"evidence": "Done."}, format="json")
    assert response.status_code == 201, response.content
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE


def test_a_rating_of_a_month_in_year_1_is_a_400_on_the_month(client_for, resident, community):
    project = ProjectFactory(community=community, stage=Stage.OPERATION)
    body = {"project": project.pk, "score": 4, "on": "0001-01-01"}
    response = client_for(resident.user).post("/api/v1/ratings/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"on"}


def test_a_rating_of_a_month_before_the_project_began_is_a_400_on_the_month(client_for, resident, community):
    project = ProjectFactory(community=community, stage=Stage.OPERATION, start_date=date(2026, 1, 1))
    body = {"project": project.pk, "score": 4, "on": "2025-12-31"}
    response = client_for(resident.user).post("/api/v1/ratings/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "outside_project_period"
    assert set(response.json()["errors"]) == {"on"}


@pytest.mark.parametrize("value", ["5735-06-27T17:34:02-23:16", "2026-06-27T17:34:02+14:01", "5735-06-27T17:34:02Z"])
def test_a_date_time_filter_with_a_far_year_or_an_odd_offset_is_a_400_on_the_filter(client_for, administrator, value):
    response = client_for(administrator).get("/api/v1/job-runs/", {"started_at_before": value})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"started_at"}


@pytest.mark.parametrize("value", ["2026-06-27T17:34:02+14:00", "2026-06-27T17:34:02-12:00", "2000-01-01T00:00:00Z"])
def test_a_date_time_filter_with_a_real_offset_in_the_plausible_years_is_taken(client_for, administrator, value):
    assert client_for(administrator).get("/api/v1/job-runs/", {"started_at_before": value}).status_code == 200


def test_a_date_filter_at_the_edges_of_the_plausible_years_is_taken(client_for, official):
    response = client_for(official).get("/api/v1/projects/?start_date_after=2000-01-01&start_date_before=2100-12-31")
    assert response.status_code == 200


def test_the_plausible_years_are_a_setting(client_for, official, settings):
    settings.PLAUSIBLE_YEARS = (2020, 2030)
    response = client_for(official).get("/api/v1/projects/?start_date_after=2019-12-31")
    assert response.status_code == 400
    assert "2020" in response.json()["message"]


def test_a_deadline_with_an_odd_offset_is_a_400_on_the_deadline(client_for, official):
    response = client_for(official).post("/api/v1/calls/", {"deadline": ODD_OFFSET}, format="json")
    assert response.status_code == 400
    assert "deadline" in response.json()["errors"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_deeper_than_the_limit_is_a_400_in_the_error_shape(client_for, official):
    response = client_for(official).post("/api/v1/calls/", nested(100_000), content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "errors"}
    assert response.json()["code"] == "too_deep"


def test_json_as_deep_as_the_limit_is_parsed(client_for, official):
    body = '{"criteria": ' + nested(MAX_JSON_DEPTH - 1) + "}"
    response = client_for(official).post("/api/v1/calls/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] != "too_deep"
    assert "project" in response.json()["errors"]


def test_json_brackets_inside_strings_do_not_count_as_depth(client_for, official):
    body = json.dumps({"title": "[" * 100, "deadline": "x"})
    response = client_for(official).post("/api/v1/calls/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] != "too_deep"


def test_a_json_body_larger_than_the_upload_limit_is_a_400_in_the_error_shape(client_for, official, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000})
    response = client_for(official).post("/api/v1/calls/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/inspections/",
        "/api/v1/duties/{id}/complete/",
        "/api/v1/reports/{id}/review/",
    ],
)
def test_json_nested_too_deep_is_refused_by_a_write_that_also_takes_files(rows, admin_client, unthrottled, path):
    # These writes name their parsers (JSON beside multipart): the JSON one must be the bounded one,
    # or Python's parser recurses into the body until it fails as a server error.
    response = admin_client.post(_url(path), nested(100_000), content_type="application/json")
    assert response.status_code in (400, 403), response.content[:300]
    if response.status_code == 400:
        assert response.json()["code"] == "too_deep"
