"""/duties/ and /duty-completions/: the responsibility matrix and its workflow through the API."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import (
    Duty,
    DutyAssignment,
    DutyCompletion,
    DutyCompletionAttachment,
    DutyStatus,
    RaciRole,
    Recurrence,
)
from audit.models import AuditAction, AuditEntry
from tests.factories import (
    DutyAssignmentFactory,
    DutyCompletionFactory,
    DutyFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def provider(project):
    return ParticipationFactory(project=project)


@pytest.fixture
def partner(project):
    return ParticipationFactory(project=project, role="co_funder")


@pytest.fixture
def duty(project, provider):
    return DutyFactory(project=project, accountable=provider, recurrence=Recurrence.WEEKLY)


@pytest.fixture
def staff_of():
    def build(participation):
        return MembershipFactory(organisation=participation.organisation).user

    return build


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def audit_of(instance, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk), action=action
    )


# --- Reading ---------------------------------------------------------------------------------


def test_an_official_lists_the_duties_of_their_community_only(client_for, official, duty):
    DutyFactory()
    assert ids(client_for(official).get("/api/v1/duties/")) == {duty.pk}


def test_staff_of_a_participant_see_the_duties_of_its_project(client_for, duty, provider, staff_of):
    DutyFactory()
    assert ids(client_for(staff_of(provider)).get("/api/v1/duties/")) == {duty.pk}


def test_a_resident_sees_the_duties_of_their_communitys_projects(client_for, resident, duty):
    DutyFactory()
    response = client_for(resident.user).get(f"/api/v1/duties/{duty.pk}/")
    assert response.status_code == 200
    assert ids(client_for(resident.user).get("/api/v1/duties/")) == {duty.pk}


def test_another_communitys_duty_is_a_404(client_for, official):
    response = client_for(official).get(f"/api/v1/duties/{DutyFactory().pk}/")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_an_anonymous_caller_is_a_401(client_for, duty):
    assert client_for().get("/api/v1/duties/").status_code == 401


def test_an_administrator_sees_every_communitys_duties(client_for, administrator, duty):
    other = DutyFactory()
    assert ids(client_for(administrator).get("/api/v1/duties/")) == {duty.pk, other.pk}
    assert client_for(administrator).get(f"/api/v1/duties/{other.pk}/").status_code == 200


def test_a_duty_shows_its_matrix_with_the_accountable_party_first(client_for, official, duty, provider, partner):
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.INFORMED)
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.RESPONSIBLE)
    matrix = client_for(official).get(f"/api/v1/duties/{duty.pk}/").data["matrix"]
    assert [(party["role"], party["participation"]) for party in matrix] == [
        ("R", partner.pk),
        ("A", provider.pk),
        ("I", partner.pk),
    ]
    assert matrix[1]["organisation_name"] == provider.organisation.name


def test_a_duty_shows_its_three_latest_completions_newest_first(client_for, official, duty):
    for weeks in range(4):
        DutyCompletionFactory(duty=duty, due_on=date(2025, 1, 6) + timedelta(weeks=weeks))
    completions = client_for(official).get(f"/api/v1/duties/{duty.pk}/").data["recent_completions"]
    assert [row["due_on"] for row in completions] == ["2025-01-27", "2025-01-20", "2025-01-13"]


def test_duties_are_filtered_by_organisation_status_recurrence_and_due_date(
    client_for, official, community, duty, provider, partner
):
    DutyFactory(project=duty.project, accountable=partner, recurrence=Recurrence.WEEKLY)
    DutyFactory(project=duty.project, accountable=provider, recurrence=Recurrence.MONTHLY)
    DutyFactory(project=duty.project, accountable=provider, recurrence=Recurrence.WEEKLY, status=DutyStatus.DONE)
    DutyFactory(
        project=duty.project,
        accountable=provider,
        recurrence=Recurrence.WEEKLY,
        next_due_on=timezone.localdate() + timedelta(days=60),
    )
    soon = timezone.localdate() + timedelta(days=30)
    url = (
        f"/api/v1/duties/?community={community.pk}&organisation={provider.organisation_id}&status=active"
        f"&recurrence=weekly&next_due_on_before={soon}"
    )
    assert ids(client_for(official).get(url)) == {duty.pk}


def test_an_invalid_filter_value_is_a_400_in_the_error_shape(client_for, official):
    response = client_for(official).get("/api/v1/duties/?status=finished")
    assert response.status_code == 400
    assert "status" in response.data["errors"]


# --- Creating --------------------------------------------------------------------------------


def new_duty(project, accountable, **overrides):
    return {
        "project": project.pk,
        "title": "Clean the kitchen",
        "accountable": accountable.pk,
        "recurrence": "weekly",
        "next_due_on": "2026-09-07",
        **overrides,
    }


def test_an_official_adds_a_duty_with_its_matrix(client_for, official, project, provider, partner):
    body = new_duty(project, provider, responsible=[partner.pk], informed=[partner.pk])
    response = client_for(official).post("/api/v1/duties/", body, format="json")
    assert response.status_code == 201
    duty = Duty.objects.get(project=project, title="Clean the kitchen")
    assert response.data["id"] == duty.pk and duty.accountable == provider
    assert set(DutyAssignment.objects.filter(duty=duty).values_list("role", "participation")) == {
        ("R", partner.pk),
        ("I", partner.pk),
    }
    assert [party["role"] for party in response.data["matrix"]] == ["R", "A", "I"]
    assert audit_of(duty, AuditAction.CREATE).get().actor == official


def test_a_duty_without_its_required_fields_is_a_400_and_nothing_is_written(client_for, official, project):
    response = client_for(official).post("/api/v1/duties/", {"project": project.pk}, format="json")
    assert response.status_code == 400
    assert {"title", "accountable", "next_due_on"} <= set(response.data["errors"])
    assert not Duty.objects.exists()


def test_an_accountable_party_from_another_project_is_refused_on_its_field(client_for, official, project):
    elsewhere = ParticipationFactory(project=ProjectFactory(community=project.community))
    response = client_for(official).post("/api/v1/duties/", new_duty(project, elsewhere), format="json")
    assert response.status_code == 400
    assert response.data["code"] == "not_a_participant"
    assert list(response.data["errors"]) == ["accountable"]
    assert not Duty.objects.exists()


def test_a_participation_the_caller_cannot_see_reads_as_missing(client_for, official, project):
    hidden = ParticipationFactory()
    response = client_for(official).post("/api/v1/duties/", new_duty(project, hidden), format="json")
    assert response.status_code == 400
    assert response.data["errors"]["accountable"] == [f'Invalid pk "{hidden.pk}" - object does not exist.']
    assert not Duty.objects.exists()


def test_a_second_duty_with_the_same_title_is_a_409(client_for, official, duty, provider):
    body = new_duty(duty.project, provider, title=duty.title)
    response = client_for(official).post("/api/v1/duties/", body, format="json")
    assert response.status_code == 409
    assert response.data["code"] == "duplicate_title"
    assert Duty.objects.count() == 1


def test_staff_of_a_participant_may_not_add_duties(client_for, project, provider, staff_of):
    response = client_for(staff_of(provider)).post("/api/v1/duties/", new_duty(project, provider), format="json")
    assert response.status_code == 403
    assert not Duty.objects.exists()


def test_adding_a_duty_to_another_communitys_project_is_a_404(client_for, official):
    elsewhere = ParticipationFactory()
    response = client_for(official).post("/api/v1/duties/", new_duty(elsewhere.project, elsewhere), format="json")
    assert response.status_code == 404
    assert not Duty.objects.exists()


# --- Assigning and unassigning ---------------------------------------------------------------


def test_an_official_makes_a_participant_responsible(client_for, official, duty, partner):
    body = {"participation": partner.pk, "role": "R"}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/assign/", body, format="json")
    assert response.status_code == 200
    assignment = DutyAssignment.objects.get(duty=duty, participation=partner, role=RaciRole.RESPONSIBLE)
    assert ("R", partner.pk) in {(party["role"], party["participation"]) for party in response.data["matrix"]}
    assert audit_of(assignment, AuditAction.CREATE).get().actor == official


def test_assigning_the_accountable_role_is_a_400_on_the_role(client_for, official, duty, partner):
    body = {"participation": partner.pk, "role": "A"}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/assign/", body, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "accountable_not_assignable" and "role" in response.data["errors"]
    assert not DutyAssignment.objects.exists()


def test_an_unknown_role_is_a_400_and_nothing_is_written(client_for, official, duty, partner):
    body = {"participation": partner.pk, "role": "X"}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/assign/", body, format="json")
    assert response.status_code == 400
    assert "role" in response.data["errors"]
    assert not DutyAssignment.objects.exists()


def test_assigning_a_role_already_held_is_a_409(client_for, official, duty, partner):
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.CONSULTED)
    body = {"participation": partner.pk, "role": "C"}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/assign/", body, format="json")
    assert response.status_code == 409
    assert response.data["code"] == "already_assigned"
    assert DutyAssignment.objects.count() == 1


def test_staff_may_not_change_the_matrix(client_for, duty, provider, partner, staff_of):
    body = {"participation": partner.pk, "role": "R"}
    response = client_for(staff_of(provider)).post(f"/api/v1/duties/{duty.pk}/assign/", body, format="json")
    assert response.status_code == 403
    assert not DutyAssignment.objects.exists()


def test_assigning_on_another_communitys_duty_is_a_404(client_for, official):
    other = DutyFactory()
    body = {"participation": other.accountable_id, "role": "R"}
    assert client_for(official).post(f"/api/v1/duties/{other.pk}/assign/", body, format="json").status_code == 404
    assert not DutyAssignment.objects.exists()


def test_an_official_takes_a_role_away(client_for, official, duty, partner):
    assignment = DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.INFORMED)
    body = {"participation": partner.pk, "role": "I"}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/unassign/", body, format="json")
    assert response.status_code == 200
    assert [party["role"] for party in response.data["matrix"]] == ["A"]
    assert not DutyAssignment.objects.exists()
    assert audit_of(assignment, AuditAction.DELETE).get().actor == official


def test_taking_away_a_role_not_held_is_a_400(client_for, official, duty, partner):
    body = {"participation": partner.pk, "role": "I"}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/unassign/", body, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "not_assigned"


def test_staff_may_not_take_a_role_away(client_for, duty, partner, staff_of):
    DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.INFORMED)
    body = {"participation": partner.pk, "role": "I"}
    response = client_for(staff_of(partner)).post(f"/api/v1/duties/{duty.pk}/unassign/", body, format="json")
    assert response.status_code == 403
    assert DutyAssignment.objects.count() == 1


# --- Changing the accountable party ----------------------------------------------------------


def test_an_official_hands_accountability_to_another_participant(client_for, official, duty, partner):
    body = {"participation": partner.pk, "reason": "The co-funder runs the kitchen now."}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/set-accountable/", body, format="json")
    assert response.status_code == 200
    assert response.data["accountable"] == partner.pk
    assert Duty.objects.get(pk=duty.pk).accountable == partner
    assert audit_of(duty, AuditAction.CHANGE).get().note == "The co-funder runs the kitchen now."


def test_changing_the_accountable_party_without_a_reason_is_a_400(client_for, official, duty, provider, partner):
    body = {"participation": partner.pk, "reason": " "}
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/set-accountable/", body, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"reason": ["Say why the accountable party changes."]}
    assert Duty.objects.get(pk=duty.pk).accountable == provider


def test_staff_may_not_change_the_accountable_party(client_for, duty, provider, partner, staff_of):
    body = {"participation": partner.pk, "reason": "We would rather not."}
    response = client_for(staff_of(provider)).post(f"/api/v1/duties/{duty.pk}/set-accountable/", body, format="json")
    assert response.status_code == 403
    assert Duty.objects.get(pk=duty.pk).accountable == provider


# --- Completing ------------------------------------------------------------------------------


def test_staff_of_the_accountable_organisation_complete_the_current_occurrence(client_for, duty, provider, staff_of):
    user = staff_of(provider)
    due = duty.next_due_on
    response = client_for(user).post(
        f"/api/v1/duties/{duty.pk}/complete/", {"evidence": "Photos of the clean kitchen."}, format="json"
    )
    assert response.status_code == 201
    completion = DutyCompletion.objects.get(duty=duty)
    assert response.data["id"] == completion.pk and completion.due_on == due and completion.completed_by == user
    assert Duty.objects.get(pk=duty.pk).next_due_on == due + timedelta(days=7)
    assert audit_of(completion, AuditAction.CREATE).get().actor == user


def test_completing_a_one_off_duty_marks_it_done(client_for, official, project, provider):
    duty = DutyFactory(project=project, accountable=provider)
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/complete/", {"evidence": "Done."}, format="json")
    assert response.status_code == 201
    assert Duty.objects.get(pk=duty.pk).status == DutyStatus.DONE


def test_completing_without_evidence_is_a_400_and_nothing_is_written(client_for, official, duty):
    response = client_for(official).post(f"/api/v1/duties/{duty.pk}/complete/", {"evidence": ""}, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"evidence": ["Describe the evidence that the duty was done."]}
    assert not DutyCompletion.objects.exists()


def test_completing_an_occurrence_already_completed_is_a_409(client_for, official, duty):
    due = duty.next_due_on
    client = client_for(official)
    client.post(f"/api/v1/duties/{duty.pk}/complete/", {"evidence": "Done."}, format="json")
    response = client.post(
        f"/api/v1/duties/{duty.pk}/complete/", {"evidence": "Done too.", "due_on": str(due)}, format="json"
    )
    assert response.status_code == 409
    assert response.data["code"] == "already_completed" and "due_on" in response.data["errors"]
    assert DutyCompletion.objects.count() == 1


def test_a_resident_may_not_complete_a_duty(client_for, resident, duty):
    response = client_for(resident.user).post(f"/api/v1/duties/{duty.pk}/complete/", {"evidence": "Saw it."})
    assert response.status_code == 403
    assert not DutyCompletion.objects.exists()


def test_completing_another_communitys_duty_is_a_404(client_for, official):
    other = DutyFactory()
    response = client_for(official).post(f"/api/v1/duties/{other.pk}/complete/", {"evidence": "Done."})
    assert response.status_code == 404
    assert not DutyCompletion.objects.exists()


# --- Completions -----------------------------------------------------------------------------


def test_completions_are_listed_by_duty_for_whoever_sees_the_project(client_for, duty, provider, staff_of):
    mine = DutyCompletionFactory(duty=duty)
    DutyCompletionFactory(duty=DutyFactory(project=duty.project))
    DutyCompletionFactory()
    response = client_for(staff_of(provider)).get(f"/api/v1/duty-completions/?duty={duty.pk}")
    assert ids(response) == {mine.pk}
    assert response.data["results"][0]["evidence"] == mine.evidence


def test_completions_are_filtered_by_due_date_range(client_for, official, duty):
    march = DutyCompletionFactory(duty=duty, due_on=date(2025, 3, 3))
    DutyCompletionFactory(duty=duty, due_on=date(2025, 4, 7))
    url = "/api/v1/duty-completions/?due_on_after=2025-03-01&due_on_before=2025-03-31"
    assert ids(client_for(official).get(url)) == {march.pk}


def test_another_communitys_completion_is_a_404(client_for, official):
    other = DutyCompletionFactory()
    assert client_for(official).get(f"/api/v1/duty-completions/{other.pk}/").status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def a_full_duty(project, provider, partner):
    duty = DutyFactory(project=project, accountable=provider)
    DutyAssignmentFactory(duty=duty, participation=partner)
    DutyCompletionAttachment.objects.create(
        completion=DutyCompletionFactory(duty=duty),
        file="duties/a.jpg",
        original_name="a.jpg",
        content_type="image/jpeg",
        size=64,
    )
    return duty


@pytest.mark.parametrize("url", ["/api/v1/duties/", "/api/v1/duty-completions/"])
def test_a_list_keeps_its_query_count_from_5_to_50_rows(
    url, client_for, official, project, provider, partner, django_assert_num_queries
):
    client = client_for(official)
    for _ in range(5):
        a_full_duty(project, provider, partner)
    at_five = queries_for(client, url)
    for _ in range(45):
        a_full_duty(project, provider, partner)
    with django_assert_num_queries(at_five):
        response = client.get(url)
    assert response.data["count"] == 50


# --- Completing with photos and files --------------------------------------------------------


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(name="kitchen.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg")


def complete_with_files(client, duty, *files):
    return client.post(
        f"/api/v1/duties/{duty.pk}/complete/",
        {"evidence": "Kitchen cleaned, photos attached.", "attachments": list(files)},
        format="multipart",
    )


def test_staff_complete_a_duty_with_photos_sent_as_multipart(client_for, duty, provider, staff_of, media_in_tmp):
    response = complete_with_files(client_for(staff_of(provider)), duty, jpeg(), jpeg("yard.jpg"))

    assert response.status_code == 201
    attachments = DutyCompletionAttachment.objects.filter(completion__duty=duty).order_by("pk")
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("kitchen.jpg", "image/jpeg"),
        ("yard.jpg", "image/jpeg"),
    ]
    shown = response.data["attachments"]
    assert [file["original_name"] for file in shown] == ["kitchen.jpg", "yard.jpg"]
    assert shown[0]["download_url"].endswith(
        f"/api/v1/duty-completions/{attachments[0].completion_id}/attachments/{attachments[0].pk}/"
    )
    assert audit_of(attachments[0], AuditAction.CREATE).exists()


def test_a_file_that_is_not_what_it_claims_is_refused_on_attachments_and_nothing_is_written(
    client_for, official, duty, media_in_tmp
):
    due = duty.next_due_on
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")

    response = complete_with_files(client_for(official), duty, jpeg(), fake)

    assert response.status_code == 400
    assert "photo.jpg" in response.data["errors"]["attachments"][0]
    assert "is not a file of an accepted type" in response.data["errors"]["attachments"][0]
    assert not DutyCompletion.objects.exists() and not DutyCompletionAttachment.objects.exists()
    assert Duty.objects.get(pk=duty.pk).next_due_on == due


def test_more_than_ten_files_are_refused(client_for, official, duty, media_in_tmp):
    response = complete_with_files(client_for(official), duty, *[jpeg(f"{n}.jpg") for n in range(11)])

    assert response.status_code == 400
    assert "at most 10 files" in response.data["errors"]["attachments"][0]
    assert not DutyCompletion.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client_for, official, duty, media_in_tmp, settings):
    settings.ATTACHMENT_MAX_BYTES = 50

    response = complete_with_files(client_for(official), duty, jpeg())

    assert response.status_code == 400
    assert "larger than the limit" in response.data["errors"]["attachments"][0]
    assert not DutyCompletion.objects.exists()


def test_a_completions_files_are_served_to_officials_and_staff_but_not_listed_or_served_to_residents(
    client_for, official, resident, duty, provider, staff_of, media_in_tmp
):
    complete_with_files(client_for(staff_of(provider)), duty, jpeg())
    attachment = DutyCompletionAttachment.objects.get()
    url = f"/api/v1/duty-completions/{attachment.completion_id}/attachments/{attachment.pk}/"

    response = client_for(official).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert f"duty-completion-{attachment.completion_id}-{attachment.pk}.jpg" in response["Content-Disposition"]
    assert client_for(staff_of(provider)).get(url).status_code == 200

    assert client_for(resident.user).get(url).status_code == 404
    shown = client_for(resident.user).get(f"/api/v1/duty-completions/{attachment.completion_id}/").data
    assert shown["evidence"] and shown["attachments"] == []
    duty_shown = client_for(resident.user).get(f"/api/v1/duties/{duty.pk}/").data
    assert duty_shown["recent_completions"][0]["attachments"] == []


def test_another_communitys_completion_file_is_a_404(client_for, official, media_in_tmp):
    other = DutyCompletionAttachment.objects.create(
        completion=DutyCompletionFactory(),
        file="duties/a.jpg",
        original_name="a.jpg",
        content_type="image/jpeg",
        size=64,
    )
    url = f"/api/v1/duty-completions/{other.completion_id}/attachments/{other.pk}/"
    assert client_for(official).get(url).status_code == 404


def test_the_schema_documents_the_files_of_a_completion(client_for):
    schema = client_for().get("/api/schema/?format=json").json()
    complete = schema["paths"]["/api/v1/duties/{id}/complete/"]["post"]["requestBody"]["content"]
    body = complete["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    attachments = schema["components"]["schemas"][body]["properties"]["attachments"]
    assert attachments["type"] == "array" and attachments["items"]["format"] == "binary"
    assert "/api/v1/duty-completions/{id}/attachments/{attachment_id}/" in schema["paths"]
