"""The audit log through the API: administrators read it, filtered and cursor-paged; everyone else sees none."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from audit.services import record, record_created, snapshot
from tests.factories import OrganisationFactory, ProjectFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


def at(moment) -> str:
    return quote(moment.isoformat())


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def entries(actor):
    """A project created by the actor, then changed by the platform's job; a rating created by the actor."""
    project = ProjectFactory()
    created = record_created(actor=actor, instance=project)
    changed = record(actor=None, action=AuditAction.CHANGE, instance=project, before=snapshot(project))
    rated = record_created(actor=actor, instance=RatingFactory())
    return {"created": created, "changed": changed, "rated": rated, "project": project}


def test_an_administrator_lists_the_log_newest_first(client_for, administrator, entries):
    response = client_for(administrator).get("/api/v1/audit-entries/")
    assert response.status_code == 200
    assert ids(response) == [entries["rated"].pk, entries["changed"].pk, entries["created"].pk]


def test_an_administrator_reads_an_entry_with_its_record_before_and_after(client_for, administrator, actor, entries):
    response = client_for(administrator).get(f"/api/v1/audit-entries/{entries['changed'].pk}/")
    assert response.status_code == 200
    assert response.data["content_type"] == "coproduction.project"
    assert response.data["object_id"] == str(entries["project"].pk)
    assert response.data["actor"] is None and response.data["actor_name"] is None
    assert response.data["before"]["name"] == entries["project"].name


def test_the_actor_is_named(client_for, administrator, actor, entries):
    response = client_for(administrator).get(f"/api/v1/audit-entries/{entries['created'].pk}/")
    assert (response.data["actor"], response.data["actor_name"]) == (actor.pk, str(actor))


@pytest.mark.parametrize("role", ["official", "resident", "manager"])
def test_anyone_but_an_administrator_gets_an_empty_log(client_for, official, resident, manager_of, entries, role):
    user = {"official": official, "resident": resident.user, "manager": manager_of(OrganisationFactory())}[role]
    response = client_for(user).get("/api/v1/audit-entries/")
    assert response.status_code == 200
    assert response.data["results"] == []


def test_an_entry_is_a_404_for_anyone_but_an_administrator(client_for, actor, entries):
    # Even the actor of the entry: the log holds other people's data in before and after.
    response = client_for(actor).get(f"/api/v1/audit-entries/{entries['created'].pk}/")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_a_staff_flag_without_administrator_rights_reads_nothing(client_for, entries):
    assert client_for(UserFactory(is_staff=True)).get("/api/v1/audit-entries/").data["results"] == []


def test_an_anonymous_caller_is_a_401(client_for, entries):
    assert client_for().get("/api/v1/audit-entries/").status_code == 401


def test_entries_are_filtered_by_action_and_actor(client_for, administrator, actor, entries):
    response = client_for(administrator).get(f"/api/v1/audit-entries/?action=create&actor={actor.pk}")
    assert ids(response) == [entries["rated"].pk, entries["created"].pk]


def test_entries_are_filtered_by_record_type_and_id(client_for, administrator, entries):
    project_id = entries["project"].pk
    url = f"/api/v1/audit-entries/?content_type=coproduction.project&object_id={project_id}"
    assert ids(client_for(administrator).get(url)) == [entries["changed"].pk, entries["created"].pk]
    assert ids(client_for(administrator).get("/api/v1/audit-entries/?content_type=evaluation.Rating")) == [
        entries["rated"].pk
    ]


def test_a_record_type_not_written_app_label_dot_model_is_a_400(client_for, administrator, entries):
    response = client_for(administrator).get("/api/v1/audit-entries/?content_type=rating")
    assert response.status_code == 400
    assert response.data["errors"] == {
        "content_type": ["Give the record type as app_label.model, e.g. evaluation.rating."]
    }


def test_entries_are_filtered_by_a_range_of_times(client_for, administrator, entries):
    now = timezone.now()
    client = client_for(administrator)
    assert len(ids(client.get(f"/api/v1/audit-entries/?at_after={at(now - timedelta(hours=1))}"))) == 3
    assert ids(client.get(f"/api/v1/audit-entries/?at_before={at(now - timedelta(hours=1))}")) == []


def test_the_log_is_paged_by_cursor(client_for, administrator, entries):
    client = client_for(administrator)
    first = client.get("/api/v1/audit-entries/?page_size=2")
    assert ids(first) == [entries["rated"].pk, entries["changed"].pk] and "count" not in first.data
    assert ids(client.get(first.data["next"])) == [entries["created"].pk]


def test_the_log_cannot_be_written_through_the_api(client_for, administrator, entries):
    client = client_for(administrator)
    assert client.post("/api/v1/audit-entries/", {"note": "forged"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/audit-entries/{entries['created'].pk}/").status_code == 405
    assert AuditEntry.objects.count() == 3


def test_the_log_keeps_its_query_count_from_5_to_50_rows(client_for, administrator, django_assert_num_queries):
    client = client_for(administrator)
    organisations = OrganisationFactory.create_batch(50)
    actors = UserFactory.create_batch(50)
    for organisation, actor in zip(organisations[:5], actors[:5], strict=True):
        record_created(actor=actor, instance=organisation)
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/audit-entries/").status_code == 200
    for organisation, actor in zip(organisations[5:], actors[5:], strict=True):
        record_created(actor=actor, instance=organisation)
    with django_assert_num_queries(len(at_five)):
        assert len(client.get("/api/v1/audit-entries/").data["results"]) == 50
