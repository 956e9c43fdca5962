"""Officials find every workflow page: a community's section navigation, and project names that lead to the project."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import Stage
from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return factories.CommunityFactory(name="Houtai", code="houtai")


@pytest.fixture
def project(community):
    return factories.ProjectFactory(community=community, stage=Stage.OPERATION, name="Elderly dining hall")


@pytest.fixture
def official(community):
    return official_of(community)


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section_nav(html: str) -> str:
    return html.split('<nav class="section-nav"', 1)[1].split("</nav>", 1)[0]


def workflow_urls(community) -> list[str]:
    code = {"code": community.code}
    return [
        f"{reverse('dashboard:project_list')}?community={community.code}",
        reverse("dashboard:community_calls", kwargs=code),
        reverse("dashboard:service_list"),
        reverse("dashboard:report_list", kwargs=code),
        reverse("dashboard:inspection_list", kwargs=code),
        reverse("dashboard:breach_list", kwargs=code),
        reverse("dashboard:complaint_list", kwargs=code),
        reverse("dashboard:risk_list", kwargs=code),
        reverse("dashboard:supervision_list", kwargs=code),
    ]


def test_the_community_dashboard_links_to_every_workflow_page_of_the_community(client, community, official):
    client.force_login(official)
    nav = section_nav(html_of(client, reverse("dashboard:community", kwargs={"code": community.code})))
    for url in workflow_urls(community):
        assert f'href="{url}"' in nav


def test_the_supervision_pages_and_the_calls_page_carry_the_same_navigation(client, community, official):
    client.force_login(official)
    for url in (
        reverse("dashboard:breach_list", kwargs={"code": community.code}),
        reverse("dashboard:community_calls", kwargs={"code": community.code}),
    ):
        nav = section_nav(html_of(client, url))
        assert f'href="{url}" aria-current="page"' in nav
        assert all(f'href="{link}"' in nav for link in workflow_urls(community))


def test_the_project_list_link_opens_the_list_filtered_by_the_community(client, community, project, official):
    factories.ProjectFactory(name="Elsewhere", community=factories.CommunityFactory())
    client.force_login(official_of(project.community))
    response = client.get(workflow_urls(community)[0])
    assert [row.name for row in response.context["page_obj"]] == ["Elderly dining hall"]


def test_a_street_dashboard_has_no_community_section_navigation(client, community):
    client.force_login(factories.OfficialPostFactory(community=None, street=community.street).user)
    html = html_of(client, reverse("dashboard:street", kwargs={"street_id": community.street_id}))
    assert 'class="section-nav"' not in html


def test_project_names_on_the_dashboard_lead_to_the_project(client, community, project, official):
    overdue = factories.DutyFactory(project=project, next_due_on=timezone.localdate() - timedelta(days=2))
    factories.BreachFactory(project=project, duty=overdue)
    factories.ComplaintFactory(project=project)
    factories.RiskFactory(community=community, project=project)
    client.force_login(official)

    html = html_of(client, reverse("dashboard:community", kwargs={"code": community.code}))

    link = f'<a href="{reverse("dashboard:project_detail", kwargs={"pk": project.pk})}">Elderly dining hall</a>'
    # the projects table, the unclassified list, the overdue duty, the breach, the complaint and the risk
    assert html.count(link) == 6


def test_the_project_detail_links_to_its_matrix_and_its_calls(client, community, official):
    call = factories.CallFactory(project__community=community, title="Dining hall operator")
    client.force_login(official)

    html = html_of(client, reverse("dashboard:project_detail", kwargs={"pk": call.project_id}))

    assert f'href="{reverse("dashboard:project_matrix", kwargs={"pk": call.project_id})}"' in html
    assert f'href="{reverse("dashboard:call_detail", kwargs={"pk": call.pk})}"' in html
