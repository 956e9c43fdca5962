"""Officials' needs pages: a community's needs, open ones first, and the answer (planned, declined, merged)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditAction, AuditEntry
from coproduction.models import Need, NeedStatus, Stage
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of, staff_of

pytestmark = pytest.mark.django_db


def list_url(community, query=""):
    return reverse("dashboard:need_list", kwargs={"code": community.code}) + query


def answer_url(need):
    return reverse("dashboard:need_answer", kwargs={"pk": need.pk})


@pytest.fixture
def community():
    return factories.CommunityFactory(name="Houtai", code="houtai")


@pytest.fixture
def need(community):
    return factories.NeedFactory(community=community, title="Lunch for the elderly", description="Near building 3.")


@pytest.fixture
def official(community):
    return official_of(community)


@pytest.fixture
def signed_in(client, official):
    client.force_login(official)
    return client


def test_visitors_are_sent_to_the_login_page(client, need):
    response = client.get(list_url(need.community))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_and_partners_staff_are_refused(client, need):
    for user in (resident_user_of(need.community), staff_of(factories.OrganisationFactory())):
        client.force_login(user)
        assert client.get(list_url(need.community)).status_code == 403
        assert client.get(answer_url(need)).status_code == 403


def test_another_community_s_needs_are_not_found(client, need):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(list_url(need.community)).status_code == 404
    assert client.get(answer_url(need)).status_code == 404
    assert client.post(answer_url(need), {"status": "planned", "response": "Yes."}).status_code == 404
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_the_list_shows_open_needs_first_with_the_counts(signed_in, community):
    now = timezone.now()
    planned = factories.NeedFactory(
        community=community, title="Benches", status=NeedStatus.PLANNED, response="In spring.", responded_at=now
    )
    old_open = factories.NeedFactory(community=community, title="Ramp at the gate")
    new_open = factories.NeedFactory(community=community, title="Night lights")
    Need.objects.filter(pk=old_open.pk).update(created_at=now - timedelta(days=9))
    factories.NeedFactory(title="A need elsewhere")

    response = signed_in.get(list_url(community))

    assert [need.pk for need in response.context["needs"]] == [new_open.pk, old_open.pk, planned.pk]
    assert (response.context["matching"], response.context["open"]) == (3, 2)
    html = response.content.decode()
    assert "In spring." in html and "A need elsewhere" not in html


def test_the_status_filter_narrows_the_list(signed_in, community, need):
    factories.NeedFactory(community=community, title="Benches", status=NeedStatus.DECLINED, response="No room.")

    response = signed_in.get(list_url(community, "?status=declined"))

    assert [row.title for row in response.context["needs"]] == ["Benches"]
    assert response.context["matching"] == 1


def test_each_open_need_links_to_its_answer_page(signed_in, need):
    assert f'href="{answer_url(need)}"' in signed_in.get(list_url(need.community)).content.decode()


def test_an_official_plans_a_need_from_the_answer_page(signed_in, need, official):
    response = signed_in.post(answer_url(need), {"status": "planned", "response": "Lunches from March."})

    assert response.status_code == 302 and response.url == list_url(need.community)
    need.refresh_from_db()
    assert (need.status, need.response, need.responded_by) == (NeedStatus.PLANNED, "Lunches from March.", official)
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE, object_id=str(need.pk)).exists()


def test_an_official_merges_a_need_into_a_project_of_the_community(signed_in, need, community):
    project = factories.ProjectFactory(community=community, stage=Stage.OPERATION, name="Dining hall")

    response = signed_in.post(answer_url(need), {"status": "merged", "project": project.pk})

    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.project) == (NeedStatus.MERGED, project)


def test_only_the_community_s_open_projects_are_offered(signed_in, need, community):
    running = factories.ProjectFactory(community=community, stage=Stage.OPERATION)
    factories.ProjectFactory(community=community, stage=Stage.CLOSED)
    factories.ProjectFactory(stage=Stage.OPERATION)

    form = signed_in.get(answer_url(need)).context["form"]

    assert list(form.fields["project"].queryset) == [running]


def test_declining_without_a_reason_is_refused_inline_and_the_choice_is_kept(signed_in, need):
    response = signed_in.post(answer_url(need), {"status": "declined", "response": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors["response"] == ["Give the reason for declining: the resident reads it."]
    assert response.context["form"]["status"].value() == "declined"
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_merging_without_a_project_is_refused_on_the_project_field(signed_in, need):
    response = signed_in.post(answer_url(need), {"status": "merged", "response": "The new hall."})

    assert "project" in response.context["form"].errors
    assert "The new hall." in response.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_a_need_with_its_final_answer_shows_no_form(signed_in, community):
    declined = factories.NeedFactory(
        community=community, status=NeedStatus.DECLINED, response="No room.", responded_at=timezone.now()
    )

    response = signed_in.get(answer_url(declined))

    assert response.context["answerable"] is False and '<form method="post"' not in response.content.decode()


def test_the_answer_and_its_date_show_on_the_resident_s_needs_page(client, signed_in, need):
    signed_in.post(answer_url(need), {"status": "planned", "response": "Lunches from March."})
    need.resident.user = factories.UserFactory()
    need.resident.save(update_fields=["user"])
    client.force_login(need.resident.user)

    response = client.get(reverse("resident_portal:needs"))

    need.refresh_from_db()
    answered_on = date_format(timezone.localtime(need.responded_at), "SHORT_DATE_FORMAT")
    html = response.content.decode()
    assert "Lunches from March." in html and f"The committee answered on {answered_on}" in html


def needs_of_a_community(count):
    community = factories.CommunityFactory()
    project = factories.ProjectFactory(community=community)
    for _index in range(count):
        factories.NeedFactory(
            community=community,
            service_item=factories.ServiceListItemFactory(),
            status=NeedStatus.MERGED,
            project=project,
            responded_at=timezone.now(),
            responded_by=factories.UserFactory(),
        )
    return community


def test_the_list_makes_as_many_queries_for_30_needs_as_for_3(client):
    few = needs_of_a_community(3)
    client.force_login(official_of(few))
    queries_for_few = queries_to_get(client, list_url(few))
    many = needs_of_a_community(30)
    client.force_login(official_of(many))
    assert queries_to_get(client, list_url(many)) == queries_for_few
