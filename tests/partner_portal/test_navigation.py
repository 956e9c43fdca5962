"""The portal's navigation offers only the pages the user's role may open."""

import pytest
from django.urls import reverse

from tests.pages import manager_of, staff_of

pytestmark = pytest.mark.django_db
TOKEN = reverse("partner_portal:token")


def test_managers_see_the_api_token_tab(client, provider):
    client.force_login(manager_of(provider.organisation))
    assert f'href="{TOKEN}"' in client.get(reverse("partner_portal:home")).content.decode()


def test_staff_who_may_not_hold_a_token_do_not_see_the_tab_that_would_refuse_them(client, provider):
    client.force_login(staff_of(provider.organisation))

    for page in ("partner_portal:home", "partner_portal:calls", "partner_portal:record"):
        html = client.get(reverse(page)).content.decode()
        assert f'href="{TOKEN}"' not in html
    assert client.get(TOKEN).status_code == 403
