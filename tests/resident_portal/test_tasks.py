"""Tasks to claim: plots as tiles with their state in words, a task's rules, claim and release in place."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coproduction.models import Claim, ClaimStatus, Stage, TaskStatus
from tests import factories
from tests.pages import official_of, queries_to_get
from tests.resident_portal.conftest import HTMX

pytestmark = pytest.mark.django_db
TASKS = reverse("resident_portal:tasks")


def claim_url(task):
    return reverse("resident_portal:task_claim", args=[task.pk])


def release_url(task):
    return reverse("resident_portal:task_release", args=[task.pk])


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(TASKS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_users_without_a_resident_record_are_refused(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(TASKS).status_code == 403


def test_a_task_of_another_community_is_not_found(signed_in):
    elsewhere = factories.TaskFactory()
    assert signed_in.get(reverse("resident_portal:task", args=[elsewhere.pk])).status_code == 404
    assert signed_in.post(claim_url(elsewhere)).status_code == 404
    assert not Claim.objects.exists()


def test_open_tasks_of_running_projects_in_my_community_are_listed_by_project(signed_in, project):
    plot = factories.TaskFactory(project=project, title="Plot 1")
    factories.TaskFactory(project=project, title="Plot 2", status=TaskStatus.CLOSED)
    factories.TaskFactory(project__community=project.community, project__stage=Stage.DESIGN, title="Plot D")
    factories.TaskFactory(title="Plot X")  # another community's

    response = signed_in.get(TASKS)

    assert list(response.context["tasks"]) == [plot]
    html = response.content.decode()
    assert "Green space claim" in html and "Plot 1" in html
    assert "Plot 2" not in html and "Plot D" not in html and "Plot X" not in html


def test_a_tile_is_named_by_the_tasks_title_and_area_never_by_its_code(signed_in, project):
    factories.TaskFactory(project=project, code="plot-03", title="3号绿地", area_m2=Decimal("90.0"))

    html = signed_in.get(TASKS).content.decode()

    assert '3号绿地 · <span class="nowrap">90 m²</span>' in html and "plot-03" not in html


def test_the_tasks_i_hold_come_first_under_their_own_heading(signed_in, resident, project):
    free = factories.TaskFactory(project=project, title="Plot 1")
    mine = factories.TaskFactory(project=project, title="Plot 9")
    factories.ClaimFactory(task=mine, resident=resident)

    response = signed_in.get(TASKS)

    assert list(response.context["mine"]) == [mine] and list(response.context["tasks"]) == [free]
    html = response.content.decode()
    assert html.index("My places") < html.index("Plot 9") < html.index("Plot 1")


def test_only_free_places_can_be_shown(signed_in, project):
    free = factories.TaskFactory(project=project, capacity=2)
    factories.ClaimFactory(task=free)
    full = factories.TaskFactory(project=project)
    factories.ClaimFactory(task=full)

    response = signed_in.get(TASKS, {"free": "on"})

    assert list(response.context["tasks"]) == [free]


def test_a_filter_that_matches_nothing_offers_every_task_again(signed_in, project):
    factories.ClaimFactory(task=factories.TaskFactory(project=project))

    html = signed_in.get(TASKS, {"free": "on"}).content.decode()

    assert "No place matches your choice." in html and f'href="{TASKS}"' in html


def test_a_community_without_tasks_shows_how_to_express_a_need(signed_in):
    html = signed_in.get(TASKS).content.decode()

    assert "No task is open to claim in your community at the moment." in html
    assert f'href="{reverse("resident_portal:needs")}"' in html


def test_each_tile_says_its_state_in_words(signed_in, resident, project):
    factories.TaskFactory(project=project, code="G01")
    shared = factories.TaskFactory(project=project, code="G02", capacity=3)
    factories.ClaimFactory(task=shared)
    full = factories.TaskFactory(project=project, code="G03")
    factories.ClaimFactory(task=full)
    mine = factories.TaskFactory(project=project, code="G04")
    factories.ClaimFactory(task=mine, resident=resident)

    html = signed_in.get(TASKS).content.decode()

    assert 'badge--open">Free to claim<' in html
    assert 'badge--places-left">2 places left<' in html and "1 of 3 taken" in html
    assert 'badge--full">Full<' in html
    assert 'badge--mine">Mine<' in html


def test_the_tasks_can_be_filtered_by_project(signed_in, project):
    factories.TaskFactory(project=project, code="G01")
    other = factories.ProjectFactory(community=project.community, name="Corridor cleaning")
    factories.TaskFactory(project=other, code="C01")

    response = signed_in.get(TASKS, {"project": other.pk})

    assert [task.code for task in response.context["tasks"]] == ["C01"]


def test_the_task_page_shows_the_care_standard_and_the_checkin_rule(signed_in, project):
    task = factories.TaskFactory(
        project=project,
        care_standard="Water twice a week.",
        checkin_interval_days=7,
        missed_checkins_allowed=2,
    )

    html = signed_in.get(reverse("resident_portal:task", args=[task.pk])).content.decode()

    assert "Water twice a week." in html
    assert "Check in at least every 7 days." in html
    assert "After 2 missed check-ins the claim lapses" in html


def test_a_resident_claims_a_plot_with_a_plain_form(signed_in, resident, project):
    task = factories.TaskFactory(project=project)

    response = signed_in.post(claim_url(task), {"next": TASKS}, follow=True)

    claim = Claim.objects.get()
    assert (claim.task, claim.resident, claim.status) == (task, resident, ClaimStatus.ACTIVE)
    assert response.redirect_chain[-1][0] == TASKS
    assert f"Claimed {task.title}" in response.content.decode()


def test_a_claim_through_htmx_answers_with_the_tile_alone(signed_in, resident, project):
    task = factories.TaskFactory(project=project)

    response = signed_in.post(claim_url(task), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(f'<li class="plot plot--mine" id="task-{task.pk}"')
    assert "1 of 1 taken" in html and "Check in" in html
    assert f'href="{release_url(task)}?next=' in html and Claim.objects.filter(resident=resident, task=task).exists()


def test_a_full_task_shows_the_domains_message_and_claims_nothing(signed_in, resident, project):
    task = factories.TaskFactory(project=project)
    factories.ClaimFactory(task=task)

    response = signed_in.post(claim_url(task), **HTMX)

    assert "Every place on this task is taken." in response.content.decode()
    assert not Claim.objects.filter(resident=resident).exists()


def test_a_second_claim_on_the_same_task_shows_the_domains_message(signed_in, resident, project):
    task = factories.TaskFactory(project=project, capacity=2)
    factories.ClaimFactory(task=task, resident=resident)

    response = signed_in.post(claim_url(task), follow=True)

    assert "You already hold a claim on this task." in response.content.decode()
    assert Claim.objects.filter(resident=resident).count() == 1


def test_a_resident_releases_their_claim_in_place(signed_in, resident, project):
    task = factories.TaskFactory(project=project)
    claim = factories.ClaimFactory(task=task, resident=resident)

    response = signed_in.post(release_url(task), **HTMX)

    claim.refresh_from_db()
    task.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED and task.active_claims == 0
    assert 'badge--open">Free to claim<' in response.content.decode()


def test_releasing_asks_for_a_confirmation_first(signed_in, resident, project):
    task = factories.TaskFactory(project=project, title="Plot 7")
    claim = factories.ClaimFactory(task=task, resident=resident)
    home = reverse("resident_portal:home")

    response = signed_in.get(release_url(task), {"next": home})

    html = response.content.decode()
    assert response.status_code == 200 and "Give up this place?" in html and "Plot 7" in html
    assert f'name="next" value="{home}"' in html and f'href="{home}"' in html
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACTIVE


def test_the_confirmation_page_ignores_a_next_address_on_another_site(signed_in, resident, project):
    task = factories.TaskFactory(project=project)
    factories.ClaimFactory(task=task, resident=resident)

    html = signed_in.get(release_url(task), {"next": "https://example.com/"}).content.decode()

    assert 'href="https://example.com/"' not in html and f'name="next" value="{TASKS}"' in html


def test_releasing_a_task_i_do_not_hold_is_not_found(signed_in, project):
    task = factories.TaskFactory(project=project)
    factories.ClaimFactory(task=task)
    assert signed_in.post(release_url(task)).status_code == 404
    assert Claim.objects.get().status == ClaimStatus.ACTIVE


def test_claiming_needs_a_post(signed_in, project):
    assert signed_in.get(claim_url(factories.TaskFactory(project=project))).status_code == 405


def add_plots(project, resident, count):
    for index in range(count):
        task = factories.TaskFactory(project=project, capacity=2)
        if index % 2:
            factories.ClaimFactory(task=task, resident=resident)


def test_the_task_list_makes_as_many_queries_for_30_plots_as_for_3(client, project):
    first = factories.ResidentFactory(community=project.community, user=factories.UserFactory())
    add_plots(project, first, 3)
    client.force_login(first.user)
    few = queries_to_get(client, TASKS)

    crowded = factories.ProjectFactory(name="Crowded")
    second = factories.ResidentFactory(community=crowded.community, user=factories.UserFactory())
    add_plots(crowded, second, 30)
    client.force_login(second.user)
    assert queries_to_get(client, TASKS) == few


def test_the_tile_swapped_in_by_htmx_keeps_the_page_it_sits_on_as_its_fallback(signed_in, project):
    task = factories.TaskFactory(project=project)

    html = signed_in.post(claim_url(task), {"next": f"{TASKS}?project={project.pk}"}, **HTMX).content.decode()

    assert f"?next=/me/tasks/%3Fproject%3D{project.pk}" in html


def test_releasing_from_the_home_page_returns_there(signed_in, resident, project):
    task = factories.TaskFactory(project=project)
    factories.ClaimFactory(task=task, resident=resident)
    home = reverse("resident_portal:home")

    response = signed_in.post(release_url(task), {"next": home})

    assert response.status_code == 302 and response.url == home
    assert Claim.objects.get().status == ClaimStatus.RELEASED


def test_a_next_address_on_another_site_is_ignored(signed_in, project):
    task = factories.TaskFactory(project=project)
    response = signed_in.post(claim_url(task), {"next": "https://example.com/"})
    assert response.url == TASKS
