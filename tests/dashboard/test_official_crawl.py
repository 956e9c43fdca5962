"""Every page an official reaches from /dashboard/ by links answers, speaks Chinese, and every action is linked.

The demo is seeded once for the module as `make demo` seeds it, with one more community that has nothing in it
yet; each official (of a demo community, the town, the district, the empty community) crawls breadth-first from
their home page in Chinese, following links and GET forms and noting the forms that post.
"""

import inspect
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern

from common.actors import TRUSTED
from coproduction.models import Project, Stage
from dashboard.urls import urlpatterns as dashboard_urlpatterns
from partners.models import Street, User
from service_list.models import ListItemStatus
from service_list.services import list_item_new_version, list_item_publish
from tests import factories
from tests.crawl import Visit, crawl, latin_words, parse_page

# The demo's officials of a community, a town and a district, and the official of a community set up today, with
# nothing in it yet: empty figures are where None and nan slip through.
OFFICIALS = ("houtai_official", "zhongbei_official", "xiqing_official", "new_community_official")

# What `make demo` runs: the demo, then one pass of each periodic job, so that breaches, risks, trust scores and
# supervision reports have pages too.
DEMO_COMMANDS = [
    ("seed_demo",),
    ("recompute_accountability",),
    ("detect_risks",),
    ("recompute_trust_scores",),
    ("build_supervision_reports", "--period", "weekly"),
    ("build_supervision_reports", "--period", "monthly"),
]

# Never fetched: signing out, the admin, the API and its docs, static files, the language switch (a POST).
SKIPPED_PREFIXES = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/", "/i18n/")

# Latin words a Chinese page may show: units, file formats and standards and their values (true, false), the
# language switch's "English" (a language is offered in its own name), and single capitals, which are the
# grades (A to D) and the RACI roles (R, A, C, I).
ALLOWED_WORDS = {
    "CSV",
    "JSON",
    "API",
    "PDF",
    "JPEG",
    "PNG",
    "ID",
    "ISO",
    "UTF",
    "Excel",
    "true",
    "false",
    "m",
    "m²",
    "km",
    "kg",
    "KB",
    "MB",
    "GB",
    "RACI",
    "English",
    *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
}

# Actions that answer GET as well (to show their form again with errors) but are reached only by a form inside
# another page, never by a link of their own: they count as reached when that form's action is found. None today.
FORM_ONLY_ACTIONS: set[str] = set()

# Pages the demo gives no link to because it uploads no files: the downloads of a report's attachments, of an
# inspection's photos, of a complaint's photo and of a duty's evidence (test_report_review_pages.py,
# test_inspection_pages.py, test_complaint_pages.py and test_duty_pages.py follow those links).
PAGES_WITHOUT_DEMO_LINKS = {
    "dashboard:report_attachment",
    "dashboard:inspection_photo",
    "dashboard:complaint_photo",
    "dashboard:duty_completion_attachment",
}


def skipped(path: str) -> bool:
    return path.startswith(SKIPPED_PREFIXES)


@pytest.fixture(scope="module")
def crawls(django_db_setup, django_db_blocker):
    """Seed the demo as `make demo` does and crawl it as each official, in Chinese; all is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        for command in DEMO_COMMANDS:
            call_command(*command, stdout=StringIO())
        publish_a_newer_version_of_a_service_in_design()
        factories.OfficialPostFactory(
            user=factories.UserFactory(username="new_community_official", display_name="王新"),
            community=factories.CommunityFactory(
                name="中北新苑社区", code="zhongbei-xinyuan", street=Street.objects.get(name="中北镇")
            ),
            title="居委会主任",
        )
        results = {}
        for username in OFFICIALS:
            client = Client(HTTP_ACCEPT_LANGUAGE="zh-Hans")
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
            client.force_login(User.objects.get(username=username))
            results[username] = crawl(client, "/dashboard/", skip=skipped)
        yield results
        transaction.set_rollback(True)


def publish_a_newer_version_of_a_service_in_design():
    """The street publishes a new version of the service a project in design was set up under, so that the
    project page offers to move the project to it."""
    project = Project.objects.filter(stage=Stage.DESIGN, service_item__status=ListItemStatus.PUBLISHED).first()
    assert project is not None, "the demo has no project in design on a published service any more"
    list_item_publish(item=list_item_new_version(item=project.service_item, user=TRUSTED), user=TRUSTED)


def shown_problems(visit) -> list[str]:
    """Why a Chinese page's visible words are wrong: None, nan, or English interface words."""
    problems = []
    words = visit.words
    for kind, strings in (("text", words.texts), ("attribute", words.attributes), ("chart", words.chart_words)):
        for text in strings:
            if re.search(r"\bNone\b", text):
                problems.append(f"{kind} shows None: {text!r}")
            elif re.search(r"\bnan\b", text, re.IGNORECASE):
                problems.append(f"{kind} shows nan: {text!r}")
            elif words := latin_words(text, allowed=ALLOWED_WORDS):
                problems.append(f"{kind} has English {words}: {text!r}")
    return problems


def problems_in(html: str) -> list[str]:
    return shown_problems(Visit("/page/", 200, "text/html", parse_page(html)))


@pytest.mark.parametrize(
    "html",
    [
        "<p>满意度：None</p>",
        "<td>nan%</td>",
        "<p>阶段：operation</p>",
        "<p>后台社区Houtai</p>",
        '<a href="/x/" title="Open the call">打开</a>',
        '<input type="submit" value="Save">',
        '<script type="application/json" id="c">{"data": {"labels": ["design"], "datasets": []}}</script>',
    ],
)
def test_the_check_finds_none_nan_and_english_words_in_text_and_labels(html):
    assert problems_in(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>面积 120 m²，导出 CSV 或 JSON；等级 A，责任方（A）</p>",
        "<p>列 <code>service_code</code> 为服务编号</p>",
        "<p>统一社会信用代码 91120111MA05K3XW2L</p>",
        '<a href="mailto:office@example.cn">office@example.cn</a>',
        "<script>const label = 'None';</script><style>.nav { color: red }</style><p>首页</p>",
        '<script type="application/json" id="c">{"type": "bar", "data": {"labels": ["设计"]}, "options": {}}</script>',
    ],
)
def test_the_check_lets_units_formats_codes_and_scripts_pass(html):
    assert problems_in(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", OFFICIALS)
def test_every_page_an_official_reaches_answers_in_chinese(crawls, username):
    result = crawls[username]
    assert len(result.visits) > 10, "the crawl stopped early: the home page links to too little"
    # Each problem once, with the pages that show it: one missing translation is one line, not fifty.
    pages_by_problem: dict[str, list[str]] = defaultdict(list)
    for visit in result.visits:
        if visit.status >= 500:
            pages_by_problem[f"answers {visit.status}"].append(visit.path)
        elif visit.status not in (200, 301, 302, 303):
            pages_by_problem[f"answers {visit.status} to a link of the official's own pages"].append(visit.path)
        elif visit.words is not None and visit.content_type.startswith("text/html"):
            for problem in shown_problems(visit):
                pages_by_problem[problem].append(visit.path)
    report = [
        f"{problem}\n    on {len(paths)} pages, e.g. {', '.join(sorted(set(paths))[:3])}"
        for problem, paths in sorted(pages_by_problem.items())
    ]
    assert not report, f"{len(report)} problems as {username} ({len(result.visits)} pages):\n" + "\n".join(report)


def _layers(view):
    """The view and each function its decorators wrap, outermost first."""
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


def _post_only(view) -> bool:
    """Whether a decorator such as require_POST turns away every other method (it keeps the list in a closure)."""
    return any(
        cell.cell_contents == ["POST"]
        for layer in _layers(view)
        for cell in (getattr(layer, "__closure__", None) or ())
        if isinstance(cell.cell_contents, list)
    )


def action_patterns() -> dict[str, bool]:
    """Each dashboard pattern whose view takes an action, and whether it answers POST only.

    Read from the views themselves (a POST-only decorator, or a view reading request.POST or comparing the
    method with "POST"), so that a new pattern is covered without touching this test.
    """
    actions = {}
    for pattern in dashboard_urlpatterns:
        assert isinstance(pattern, URLPattern), "dashboard URLs are flat; an include() needs this test extended"
        view = inspect.unwrap(pattern.callback)
        code = getattr(view, "__code__", None)
        reads_post = code is not None and ("POST" in code.co_names or "POST" in code.co_consts)
        post_only = _post_only(pattern.callback)
        if post_only or reads_post:
            actions[f"dashboard:{pattern.name}"] = post_only
    return actions


def test_action_patterns_are_found_in_the_views():
    actions = action_patterns()
    assert actions["dashboard:project_move"] is True
    assert actions["dashboard:report_review"] is False
    assert "dashboard:project_list" not in actions


@pytest.mark.django_db
def test_every_dashboard_action_is_reached_from_an_officials_home_page(crawls):
    linked = set().union(*(result.linked for result in crawls.values()))
    posted = set().union(*(result.posted for result in crawls.values()))
    unreached = []
    for name, post_only in sorted(action_patterns().items()):
        if post_only:
            if name not in posted:
                unreached.append(f"{name}: no form posts to it")
        elif name in FORM_ONLY_ACTIONS:
            if name not in posted and name not in linked:
                unreached.append(f"{name}: no form posts to it and no link leads to it")
        elif name not in linked:
            unreached.append(f"{name}: no link leads to it" + (" (only a form posts to it)" if name in posted else ""))
    assert not unreached, "actions no official reaches from /dashboard/:\n" + "\n".join(unreached)


@pytest.mark.django_db
def test_every_dashboard_page_is_linked_from_an_officials_home_page(crawls):
    linked = set().union(*(result.linked for result in crawls.values()))
    pages = {f"dashboard:{pattern.name}" for pattern in dashboard_urlpatterns} - set(action_patterns())
    pages -= PAGES_WITHOUT_DEMO_LINKS
    unlinked = sorted(pages - linked)
    assert not unlinked, "pages no official reaches by a link from /dashboard/:\n" + "\n".join(unlinked)
