"""Check-ins through the API: who reads them, checking in on a claim with a photo, and volunteer hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import CheckIn, Claim, ClaimStatus
from coproduction.services.claims import checkin_record
from tests.coproduction.report_fixtures import media, pdf, png, stored_files
from tests.factories import (
    CheckInFactory,
    ClaimFactory,
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def claim(resident, community):
    """The signed-in resident's active claim on a plot of their community's running project."""
    return ClaimFactory(task=TaskFactory(project=ProjectFactory(community=community)), resident=resident)


def check_in(client, claim, **body):
    return client.post(f"/api/v1/claims/{claim.pk}/check-in/", {"on": timezone.localdate(), **body})


def nothing_written(media) -> bool:
    return not (CheckIn.objects.exists() or AuditEntry.objects.exists() or stored_files(media))


# --- Reading ---------------------------------------------------------------------------------


def test_a_resident_lists_only_their_own_check_ins(client_for, resident, claim):
    own = CheckInFactory(claim=claim)
    CheckInFactory(claim=ClaimFactory(task=TaskFactory(project=claim.task.project)))
    response = client_for(resident.user).get("/api/v1/checkins/")
    assert response.status_code == 200
    assert ids(response) == {own.pk}
    row = response.data["results"][0]
    assert (row["task"], row["project"], row["resident"]) == (claim.task_id, claim.task.project_id, resident.pk)
    assert row["photo_url"] is None


def test_the_projects_staff_see_every_check_in_on_it(client_for):
    participation = ParticipationFactory()
    checkins = CheckInFactory.create_batch(2, claim__task__project=participation.project)
    CheckInFactory()
    staff = MembershipFactory(organisation=participation.organisation).user
    assert ids(client_for(staff).get("/api/v1/checkins/")) == {checkin.pk for checkin in checkins}


def test_an_official_sees_their_communitys_check_ins_but_not_anothers(client_for, official, community):
    mine = CheckInFactory(claim__task__project=ProjectFactory(community=community))
    theirs = CheckInFactory()
    client = client_for(official)
    assert ids(client.get("/api/v1/checkins/")) == {mine.pk}
    assert client.get(f"/api/v1/checkins/{mine.pk}/").status_code == 200
    response = client.get(f"/api/v1/checkins/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_another_residents_check_in_is_a_404(client_for, resident, claim):
    other = CheckInFactory(claim=ClaimFactory(task=TaskFactory(project=claim.task.project)))
    assert client_for(resident.user).get(f"/api/v1/checkins/{other.pk}/").status_code == 404


def test_a_user_without_a_role_sees_no_check_ins(client_for):
    CheckInFactory()
    assert client_for(UserFactory()).get("/api/v1/checkins/").data["results"] == []


def test_check_ins_come_newest_first_a_cursor_page_at_a_time(client_for, administrator):
    claim = ClaimFactory()
    checkins = [CheckInFactory(claim=claim, on=days_ago(days)) for days in (3, 2, 1)]
    response = client_for(administrator).get("/api/v1/checkins/?page_size=2")
    assert [row["id"] for row in response.data["results"]] == [checkins[2].pk, checkins[1].pk]
    assert "count" not in response.data and "cursor=" in response.data["next"]
    following = client_for(administrator).get(response.data["next"])
    assert [row["id"] for row in following.data["results"]] == [checkins[0].pk]


def test_check_ins_are_filtered_by_task_and_date_range(client_for, official, community):
    project = ProjectFactory(community=community)
    claim = ClaimFactory(task=TaskFactory(project=project))
    wanted = CheckInFactory(claim=claim, on=days_ago(5))
    CheckInFactory(claim=claim, on=days_ago(20))
    CheckInFactory(claim=ClaimFactory(task=TaskFactory(project=project)), on=days_ago(5))
    url = f"/api/v1/checkins/?task={claim.task_id}&on_after={days_ago(10)}&on_before={days_ago(1)}"
    assert ids(client_for(official).get(url)) == {wanted.pk}


def test_check_ins_are_filtered_by_claim_and_project(client_for, official, community):
    claim = ClaimFactory(task=TaskFactory(project=ProjectFactory(community=community)))
    wanted = CheckInFactory(claim=claim)
    CheckInFactory(claim__task__project=ProjectFactory(community=community))
    url = f"/api/v1/checkins/?claim={claim.pk}&project={claim.task.project_id}"
    assert ids(client_for(official).get(url)) == {wanted.pk}


def test_an_invalid_date_filter_is_a_400(client_for, official):
    response = client_for(official).get("/api/v1/checkins/?on_after=yesterday")
    assert response.status_code == 400
    assert "on" in response.data["errors"]


def test_the_list_keeps_its_query_count_from_5_to_50_check_ins(
    client_for, official, community, django_assert_num_queries
):
    project = ProjectFactory(community=community)

    def build():
        CheckInFactory(claim=ClaimFactory(task=TaskFactory(project=project)))

    client = client_for(official)
    for _ in range(5):
        build()
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/checkins/").status_code == 200
    for _ in range(45):
        build()
    with django_assert_num_queries(len(at_five)):
        response = client.get("/api/v1/checkins/")
    assert len(response.data["results"]) == 50


# --- Checking in -----------------------------------------------------------------------------


def test_a_resident_checks_in_with_a_photo(client_for, resident, claim, media):
    response = check_in(client_for(resident.user), claim, note="Weeded and watered.", photo=png())
    assert response.status_code == 201
    checkin = CheckIn.objects.get(claim=claim)
    assert response.data["id"] == checkin.pk
    assert (checkin.on, checkin.note, checkin.hours) == (timezone.localdate(), "Weeded and watered.", Decimal("1.5"))
    assert response.data["photo_url"] == f"http://testserver/api/v1/checkins/{checkin.pk}/photo/"
    assert Claim.objects.get(pk=claim.pk).last_checkin_on == timezone.localdate()
    assert len(stored_files(media)) == 1


def test_a_check_in_is_audited_with_the_resident_as_actor(client_for, resident, claim, media):
    response = check_in(client_for(resident.user), claim)
    entry = AuditEntry.objects.get(object_id=str(response.data["id"]), content_type__model="checkin")
    assert (entry.action, entry.actor) == (AuditAction.CREATE, resident.user)


def test_an_official_registers_a_check_in_for_a_resident_of_their_community(client_for, official, claim, media):
    response = check_in(client_for(official), claim, on=days_ago(1))
    assert response.status_code == 201
    assert CheckIn.objects.get(claim=claim).on == days_ago(1)


def test_a_second_check_in_on_the_same_day_is_a_409(client_for, resident, claim, media):
    client = client_for(resident.user)
    check_in(client, claim)
    response = check_in(client, claim, note="Again.")
    assert response.status_code == 409
    assert response.data["code"] == "duplicate"
    assert list(response.data["errors"]) == ["on"]
    assert CheckIn.objects.filter(claim=claim).count() == 1


def test_a_check_in_in_the_future_is_a_400_and_nothing_is_written(client_for, resident, claim, media):
    response = check_in(client_for(resident.user), claim, on=timezone.localdate() + timedelta(days=1))
    assert response.status_code == 400
    assert response.data["code"] == "future"
    assert nothing_written(media)


def test_a_date_that_is_not_a_date_is_a_400_naming_the_field(client_for, resident, claim, media):
    response = check_in(client_for(resident.user), claim, on="yesterday")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["on"]
    assert nothing_written(media)


def test_a_photo_that_is_not_an_image_is_a_400_on_the_photo(client_for, resident, claim, media):
    response = check_in(client_for(resident.user), claim, photo=pdf())
    assert response.status_code == 400
    assert response.data["code"] == "file_type"
    assert list(response.data["errors"]) == ["photo"]
    assert nothing_written(media)


def test_checking_in_on_a_released_claim_is_a_400(client_for, resident, claim, media):
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.RELEASED, ended_at=timezone.now())
    response = check_in(client_for(resident.user), claim)
    assert response.status_code == 400
    assert response.data["code"] == "claim_not_active"
    assert nothing_written(media)


def test_the_projects_staff_may_not_check_in_for_a_resident(client_for, claim, media):
    participation = ParticipationFactory(project=claim.task.project)
    staff = MembershipFactory(organisation=participation.organisation).user
    response = check_in(client_for(staff), claim)
    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert nothing_written(media)


def test_another_residents_claim_is_a_404(client_for, resident, claim, media):
    other = ClaimFactory(task=TaskFactory(project=claim.task.project))
    assert check_in(client_for(resident.user), other).status_code == 404
    assert nothing_written(media)


def test_an_official_of_another_community_gets_404_for_the_check_in(client_for, claim, media):
    stranger = OfficialPostFactory().user
    assert check_in(client_for(stranger), claim).status_code == 404
    assert nothing_written(media)


# --- The photo -------------------------------------------------------------------------------


def test_the_photo_is_downloaded_under_a_name_the_platform_gives_it(client_for, resident, claim, media):
    checkin = checkin_record(claim=claim, on=timezone.localdate(), photo=png(name="my garden.html"), user=resident.user)
    response = client_for(resident.user).get(f"/api/v1/checkins/{checkin.pk}/photo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="checkin-{checkin.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_check_in_without_a_photo_has_none_to_download(client_for, resident, claim):
    checkin = CheckInFactory(claim=claim)
    assert client_for(resident.user).get(f"/api/v1/checkins/{checkin.pk}/photo/").status_code == 404


def test_another_communitys_official_gets_404_for_the_photo(client_for, resident, claim, media):
    checkin = checkin_record(claim=claim, on=timezone.localdate(), photo=png(), user=resident.user)
    stranger = OfficialPostFactory().user
    assert client_for(stranger).get(f"/api/v1/checkins/{checkin.pk}/photo/").status_code == 404


# --- Volunteer hours -------------------------------------------------------------------------


def test_a_resident_reads_their_volunteer_hours(client_for, resident, claim):
    CheckInFactory(claim=claim, on=days_ago(2), hours=Decimal("1.5"))
    CheckInFactory(claim=claim, on=days_ago(1), hours=Decimal("2.0"))
    CheckInFactory()
    response = client_for(resident.user).get("/api/v1/claims/hours/")
    assert response.status_code == 200
    assert response.data == {"resident": resident.pk, "volunteer_hours": "3.5"}


def test_a_resident_without_check_ins_has_no_hours(client_for, resident):
    assert client_for(resident.user).get("/api/v1/claims/hours/").data["volunteer_hours"] == "0.0"


def test_someone_who_is_not_a_resident_has_no_volunteer_hours(client_for, official):
    response = client_for(official).get("/api/v1/claims/hours/")
    assert response.status_code == 403
    assert response.data["message"] == "Only residents have volunteer hours."


def test_an_anonymous_caller_has_no_volunteer_hours(client_for):
    assert client_for().get("/api/v1/claims/hours/").status_code == 401
