"""The residents' pages on a phone: a compact header menu and a bottom bar of their main places."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db
PLACES = ["Tasks", "My claims", "Complaints", "Ratings", "Me"]


def tabbar(html: str) -> str:
    return re.search(r'<nav class="tabbar".*?</nav>', html, re.S).group(0)


def current_place(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)<', tabbar(html))


def test_every_residents_page_has_the_bar_of_main_places_in_a_navigation_landmark(signed_in):
    bar = tabbar(signed_in.get(reverse("resident_portal:home")).content.decode())

    assert 'aria-label="My community"' in bar
    assert re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', bar) == PLACES


@pytest.mark.parametrize(
    ("url_name", "args", "place"),
    [
        ("resident_portal:home", [], "My claims"),
        ("resident_portal:checkins", [], "My claims"),
        ("resident_portal:tasks", [], "Tasks"),
        ("resident_portal:complaints", [], "Complaints"),
        ("resident_portal:ratings", [], "Ratings"),
        ("resident_portal:me", [], "Me"),
        ("resident_portal:needs", [], "Me"),
        ("resident_portal:my_data", [], "Me"),
    ],
)
def test_the_bar_marks_the_place_a_page_belongs_to(signed_in, url_name, args, place):
    assert current_place(signed_in.get(reverse(url_name, args=args)).content.decode()) == [place]


def test_a_tasks_own_page_belongs_to_tasks(signed_in, project):
    task = factories.TaskFactory(project=project)
    assert current_place(signed_in.get(reverse("resident_portal:task", args=[task.pk])).content.decode()) == ["Tasks"]


def test_language_and_account_sit_in_one_menu_that_needs_no_script(signed_in, resident):
    html = signed_in.get(reverse("resident_portal:home")).content.decode()

    menu = re.search(r'<details class="header-menu">.*?</details>', html, re.S).group(0)
    assert "<summary>Menu" in menu
    assert f'action="{reverse("set_language")}"' in menu and f'action="{reverse("logout")}"' in menu
    assert f'href="{reverse("resident_portal:my_data")}"' in menu and str(resident.user) in menu
    assert html.count('id="language-select"') == 1


def test_the_other_roles_keep_the_shared_header(client, project):
    client.force_login(official_of(project.community))
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "header-menu" not in html and 'class="tabbar"' not in html and 'class="site-tools"' in html


def test_the_me_page_leads_to_needs_hours_and_my_data(signed_in, resident):
    html = signed_in.get(reverse("resident_portal:me")).content.decode()

    assert resident.name in html
    for url_name in ("resident_portal:needs", "resident_portal:checkins", "resident_portal:my_data"):
        assert f'href="{reverse(url_name)}"' in html


def test_the_me_page_is_for_residents(client, project):
    client.force_login(official_of(project.community))
    assert client.get(reverse("resident_portal:me")).status_code == 403
