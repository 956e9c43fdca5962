"""The role guards: login for visitors, a friendly 403 for the wrong role, 404 for others' rows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from common.scoping import visible_or_404
from partners.models import Community
from tests import factories
from tests.pages import official_of, resident_user_of, staff_of
from web.access import OfficialRequiredMixin, resident_required, staff_required

pytestmark = pytest.mark.django_db


@staff_required
def staff_page(request):
    return HttpResponse("staff page")


class OfficialPage(OfficialRequiredMixin, View):
    def get(self, request):
        return HttpResponse("official page")


def request_by(user, path="/somewhere/?tab=2"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_a_visitor_is_sent_to_the_login_page_and_back():
    response = staff_page(request_by(AnonymousUser()))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/somewhere/%3Ftab%3D2"


def test_a_user_with_the_role_gets_the_page():
    response = staff_page(request_by(staff_of(factories.OrganisationFactory())))
    assert response.content == b"staff page"


def test_a_user_without_the_role_is_refused_with_the_reason():
    with pytest.raises(PermissionDenied, match="staff of partner organisations"):
        staff_page(request_by(resident_user_of(factories.CommunityFactory())))


def test_the_mixin_guards_class_based_views_the_same_way():
    view = OfficialPage.as_view()
    assert view(request_by(AnonymousUser())).status_code == 302
    assert view(request_by(official_of(factories.CommunityFactory()))).content == b"official page"
    with pytest.raises(PermissionDenied):
        view(request_by(staff_of(factories.OrganisationFactory())))


def test_administrators_count_as_officials_but_not_as_residents():
    admin = factories.UserFactory(is_superuser=True)
    assert OfficialPage.as_view()(request_by(admin)).status_code == 200
    with pytest.raises(PermissionDenied):
        resident_required(staff_page)(request_by(admin))


def test_the_403_page_is_friendly_and_says_why(client):
    client.force_login(resident_user_of(factories.CommunityFactory()))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 403
    assert b"You may not open this page" in response.content
    assert b"This page is for community and street officials." in response.content


def test_a_row_the_user_may_not_see_is_not_found():
    mine, theirs = factories.CommunityFactory(), factories.CommunityFactory()
    user = official_of(mine)
    assert visible_or_404(Community.objects, user, pk=mine.pk) == mine
    with pytest.raises(Http404):
        visible_or_404(Community.objects, user, pk=theirs.pk)
