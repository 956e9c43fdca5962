"""The base page: navigation by role, language switcher, login/logout, skip link, no CDN."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import official_of, resident_user_of

pytestmark = pytest.mark.django_db


def page_html(client, url=None) -> str:
    response = client.get(url or reverse("transparency:home"))
    assert response.status_code == 200
    return response.content.decode()


def nav_hrefs(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, flags=re.S).group(0)
    return re.findall(r'href="([^"]+)"', nav)


def test_visitors_see_only_the_public_link_and_a_login_link(client):
    html = page_html(client)
    assert nav_hrefs(html) == [reverse("transparency:home")]
    assert f'href="{reverse("login")}?next=' in html
    assert 'action="/accounts/logout/"' not in html


def test_a_user_with_several_roles_is_offered_each_area(client):
    user = resident_user_of(factories.CommunityFactory())
    factories.OfficialPostFactory(user=user)
    client.force_login(user)
    assert nav_hrefs(page_html(client)) == [
        reverse("dashboard:home"),
        reverse("resident_portal:home"),
        reverse("transparency:home"),
    ]


def test_the_current_area_is_marked_in_the_navigation(client):
    client.force_login(official_of(factories.CommunityFactory()))
    html = page_html(client, reverse("dashboard:home"))
    assert f'<a href="{reverse("dashboard:home")}" aria-current="page">' in html


def test_logout_is_a_post_form_and_leads_to_the_public_pages(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert 'action="/accounts/logout/" method="post"' in page_html(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("transparency:home")
    assert "_auth_user_id" not in client.session


def test_the_page_has_a_skip_link_a_main_landmark_and_its_language(client):
    html = page_html(client)
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html


def test_the_language_switcher_is_a_labelled_form_that_works_without_javascript(client):
    html = page_html(client)
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert '<label for="language-select">' in html
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in html


def test_switching_the_language_shows_the_pages_in_chinese(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")}, follow=True)
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html


def test_htmx_sends_the_csrf_token_and_every_asset_is_served_locally(client):
    html = page_html(client)
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/web/vendor/htmx.min.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_favicon_ico(client):
    html = page_html(client)
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in html
