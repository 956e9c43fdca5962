"""The responsibility matrix page: participants x duties with R/A/C/I, changed through the duty services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Duty, DutyAssignment, RaciRole
from coproduction.models import Stage
from tests import factories
from tests.pages import official_of, queries_to_get, staff_of

pytestmark = pytest.mark.django_db


def matrix_url(project, name="dashboard:project_matrix"):
    return reverse(name, kwargs={"pk": project.pk})


def grid(size: int):
    """A project with `size` current participants and `size` duties, each with one Responsible."""
    project = factories.ProjectFactory()
    participations = factories.ParticipationFactory.create_batch(size, project=project)
    for index in range(size):
        duty = factories.DutyFactory(project=project, accountable=participations[index])
        factories.DutyAssignmentFactory(duty=duty, participation=participations[-1 - index])
    return project, participations


def test_the_matrix_shows_the_letters_each_participant_holds(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))

    response = client.get(matrix_url(project))

    [row] = [row for row in response.context["rows"] if row["duty"] == duty]
    assert [cell["letters"] for cell in row["cells"]] == [["A"], ["R"]]
    assert 'aria-pressed="true"' in response.content.decode()


def test_staff_of_a_partner_are_refused_the_matrix(client):
    project, participations = grid(1)
    client.force_login(staff_of(participations[0].organisation))
    assert client.get(matrix_url(project)).status_code == 403


def test_another_communitys_matrix_is_not_found(client):
    project, _ = grid(1)
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(matrix_url(project)).status_code == 404


def test_the_matrix_makes_as_many_queries_for_20x20_as_for_3x3(client):
    small, _ = grid(3)
    large, _ = grid(20)
    client.force_login(official_of(small.community))
    few = queries_to_get(client, matrix_url(small))
    client.force_login(official_of(large.community))
    assert queries_to_get(client, matrix_url(large)) == few


def toggle(duty, participation, role):
    return {"toggle": f"{duty.pk}:{participation.pk}:{role}"}


def test_a_toggle_makes_a_participant_consulted_and_redirects_back(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))

    response = client.post(matrix_url(project, "dashboard:matrix_toggle"), toggle(duty, first, "C"))

    assert response.status_code == 302 and response.url.startswith(matrix_url(project))
    assert DutyAssignment.objects.filter(duty=duty, participation=first, role=RaciRole.CONSULTED).exists()


def test_a_toggle_on_a_held_role_takes_it_away(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))
    client.post(matrix_url(project, "dashboard:matrix_toggle"), toggle(duty, second, "R"))
    assert not DutyAssignment.objects.filter(duty=duty, participation=second).exists()


def test_with_htmx_the_toggle_answers_the_cell_alone(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))

    response = client.post(
        matrix_url(project, "dashboard:matrix_toggle"), toggle(duty, first, "I"), headers={"HX-Request": "true"}
    )

    html = response.content.decode().strip()
    assert html.startswith("<td") and f'id="cell-{duty.pk}-{first.pk}"' in html
    assert response.context["cell"]["letters"] == ["A", "I"]


def test_a_toggle_for_a_participant_who_left_is_refused_and_nothing_written(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    second.left_on = timezone.localdate()
    second.save()
    client.force_login(official_of(project.community))

    response = client.post(matrix_url(project, "dashboard:matrix_toggle"), toggle(duty, second, "C"), follow=True)

    assert "current participant" in response.content.decode()
    assert not DutyAssignment.objects.filter(duty=duty, participation=second, role="C").exists()


def test_a_toggle_for_another_projects_duty_is_not_found(client):
    project, (first, _) = grid(2)
    other_duty = factories.DutyFactory()
    client.force_login(official_of(project.community))
    response = client.post(matrix_url(project, "dashboard:matrix_toggle"), toggle(other_duty, first, "C"))
    assert response.status_code == 404
    assert not DutyAssignment.objects.filter(duty=other_duty, role="C").exists()


def duty_form(accountable, **overrides):
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    return {
        "duty-title": "Clean the kitchen",
        "duty-accountable": accountable.pk,
        "duty-recurrence": "weekly",
        "duty-next_due_on": due,
        "duty-responsible": [accountable.pk],
        **overrides,
    }


def test_an_official_adds_a_duty_with_its_accountable_party(client):
    project, (first, second) = grid(2)
    client.force_login(official_of(project.community))

    response = client.post(matrix_url(project, "dashboard:matrix_duty_create"), duty_form(second))

    assert response.status_code == 302
    duty = Duty.objects.get(title="Clean the kitchen")
    assert duty.accountable == second
    assert list(duty.assignments.values_list("participation", "role")) == [(second.pk, "R")]


def test_a_duplicate_duty_title_is_refused_on_its_field_and_the_input_kept(client):
    project, (first, second) = grid(2)
    existing = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))

    response = client.post(
        matrix_url(project, "dashboard:matrix_duty_create"),
        duty_form(second, **{"duty-title": existing.title, "duty-description": "Every Friday"}),
    )

    assert response.status_code == 200
    assert response.context["duty_form"].errors["title"] == ["This project already has a duty with this title."]
    assert "Every Friday" in response.content.decode()
    assert Duty.objects.filter(project=project).count() == 2


def test_a_duty_on_a_closed_project_is_refused_at_the_top(client):
    project, (first,) = grid(1)
    project.stage = Stage.CLOSED
    project.save()
    client.force_login(official_of(project.community))
    response = client.post(matrix_url(project, "dashboard:matrix_duty_create"), duty_form(first))
    assert "cannot be added to a closed project" in response.content.decode()
    assert not Duty.objects.filter(title="Clean the kitchen").exists()


def test_an_official_hands_accountability_to_another_participant(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))

    response = client.post(
        matrix_url(project, "dashboard:matrix_set_accountable"),
        {
            "accountable-duty": duty.pk,
            "accountable-accountable": second.pk,
            "accountable-reason": "They run it now.",
        },
    )

    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.accountable == second


def test_handing_accountability_to_the_same_party_is_refused_inline(client):
    project, (first, second) = grid(2)
    duty = Duty.objects.get(accountable=first)
    client.force_login(official_of(project.community))

    response = client.post(
        matrix_url(project, "dashboard:matrix_set_accountable"),
        {
            "accountable-duty": duty.pk,
            "accountable-accountable": first.pk,
            "accountable-reason": "No change.",
        },
    )

    assert response.context["accountable_form"].errors["accountable"] == [
        "This participant is already accountable for the duty."
    ]
    duty.refresh_from_db()
    assert duty.accountable == first
