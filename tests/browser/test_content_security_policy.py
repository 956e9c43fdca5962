"""Under the Content Security Policy the main pages still work in a real browser: charts draw, htmx
swaps, the API docs render, every admin list and add form loads, and the browser reports no
violation and no console error."""

from decimal import Decimal

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule
from playwright.sync_api import expect

from coproduction.models import GovernanceLevel, Stage
from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password

# Runs before any script of each page: the browser fires this event for every blocked load or inline code.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def watch(page) -> list[str]:
    """Console errors and uncaught exceptions of `page`, collected as they come (but the admin's
    missing /favicon.ico, which the browser asks for by itself)."""
    errors = []

    def console(message):
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return errors


def visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations")


def community_with_charts():
    community = factories.CommunityFactory(name="Houtai", code="houtai")
    for name, authority, share in [
        ("Dining hall", GovernanceLevel.HIGH, "0.80"),
        ("Green space", GovernanceLevel.LOW, "0.20"),
    ]:
        project = factories.ProjectFactory(
            community=community,
            name=name,
            governance_authority=authority,
            government_share=Decimal(share),
            stage=Stage.OPERATION,
        )
        factories.RatingFactory(project=project, period=timezone.localdate().replace(day=1), score=4)
    return community


def test_public_pages_the_login_page_and_the_api_docs_load_without_violations(page, live_server):
    errors = watch(page)
    community_with_charts()
    violations = []
    for url in ["/public/", "/public/communities/houtai/", "/accounts/login/", "/admin/login/"]:
        violations += visit(page, f"{live_server.url}{url}")

    violations += visit(page, f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Community service coproduction API")
    screenshot(page, "csp-swagger-ui")
    violations += visit(page, f"{live_server.url}/api/redoc/")
    expect(page.locator("h1").first).to_contain_text("Community service coproduction API")

    # ReDoc shows its maker's logo from their CDN: the policy blocks it, as it should (it hides when blocked).
    redoc_logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [v for v in violations if redoc_logo not in v] == []
    assert [e for e in errors if redoc_logo not in e] == []


def test_an_official_s_charts_and_a_resident_s_htmx_claim_work_without_violations(page, live_server):
    errors = watch(page)
    community = community_with_charts()
    factories.OfficialPostFactory(community=community, user=user_with_password(factories.UserFactory(username="zhang")))
    login(page, live_server, "zhang")
    violations = visit(page, f"{live_server.url}/dashboard/communities/houtai/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('quadrant-canvas'))")
    page.get_by_role("button", name="Log out").click()

    factories.ResidentFactory(community=community, user=user_with_password(factories.UserFactory(username="li")))
    task = factories.TaskFactory(project=community.projects.first(), code="G07", title="Plot G07")
    login(page, live_server, "li")
    violations += visit(page, f"{live_server.url}/me/tasks/")
    tile = page.locator(f"#task-{task.pk}")
    tile.get_by_role("button", name="Claim Plot G07").click()
    expect(tile).to_contain_text("Mine")  # swapped in by htmx, not a full page load
    violations += page.evaluate("window.__cspViolations")

    assert violations == [] and errors == []


def test_every_admin_list_and_add_form_works_without_violations(page, live_server):
    errors = watch(page)
    community = community_with_charts()
    factories.ResidentFactory(community=community)
    root = user_with_password(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    login(page, live_server, "root")
    project = community.projects.first()
    urls = ["/admin/", f"/admin/coproduction/project/{project.pk}/change/"]
    as_root = RequestFactory().get("/admin/")
    as_root.user = root
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(as_root):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
    violations = []
    for url in urls:
        # Inline code is refused while the page is parsed: the load event is late enough.
        page.goto(f"{live_server.url}{url}", wait_until="load")
        violations += [f"{url}: {violation}" for violation in page.evaluate("window.__cspViolations")]
    assert violations == [] and errors == []


def test_the_periodic_task_form_reads_the_chosen_crontab_in_words(page, live_server):
    errors = watch(page)
    crontab = CrontabSchedule.objects.create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    user_with_password(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    login(page, live_server, "root")
    violations = visit(page, f"{live_server.url}/admin/django_celery_beat/periodictask/add/")
    page.select_option("#id_crontab", str(crontab.pk))
    # The schedule in words, as the admin says our own schedules (common/crontab_words.py).
    expect(page.locator(".field-crontab .help")).to_contain_text("Translation: every day at 02:30")
    assert violations == [] and errors == []
