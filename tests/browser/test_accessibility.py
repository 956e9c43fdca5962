"""Every resident page (on a phone) and every partner portal page (on a desktop), in Chinese, passes axe-core
with no violation of impact "serious" or "critical".

The pages are read from resident_portal/urls.py and partner_portal/urls.py, so a new page is checked as soon
as it has a URL: a page whose URL takes arguments needs an example in EXAMPLES (built with tests/factories.py),
and a test names each one that has none. URLs that answer 405 to GET are actions, not pages, and files
(photos, attachments, the data download) are not HTML: both are left out. axe-core comes inside the PyPI
package axe-playwright-python (MPL-2.0 script, MIT wrapper), never from a CDN.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coproduction.models import Stage
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot, user_with_password
from tests.pages import manager_of, staff_of
from tests.resident_portal.images import tiny_png

SERIOUS = {"serious", "critical"}
PORTALS = ("resident_portal", "partner_portal")
# Forms whose page with error messages is checked too: sent empty, they must refuse with errors.
SENT_EMPTY = {"partner_portal:report_new", "partner_portal:apply"}


@dataclass
class Example:
    """The records a portal's pages are shown with: a resident's or an organisation's working life."""

    resident_user: object
    manager: object
    staff: object
    task: object
    claim: object
    checkin: object
    complaint: object
    duty: object
    completion: object
    completion_attachment: object
    project: object
    report: object
    attachment: object
    call: object
    application: object
    application_attachment: object


# url name -> the URL's arguments, taken from the example. A new page with arguments goes here.
EXAMPLES = {
    "resident_portal:task": lambda e: {"pk": e.task.pk},
    "resident_portal:task_claim": lambda e: {"pk": e.task.pk},
    "resident_portal:task_release": lambda e: {"pk": e.task.pk},
    "resident_portal:checkin": lambda e: {"claim_pk": e.claim.pk},
    "resident_portal:checkin_photo": lambda e: {"pk": e.checkin.pk},
    "resident_portal:complaint": lambda e: {"pk": e.complaint.pk},
    "resident_portal:complaint_photo": lambda e: {"pk": e.complaint.pk},
    "resident_portal:complaint_confirm": lambda e: {"pk": e.complaint.pk},
    "resident_portal:complaint_reopen": lambda e: {"pk": e.complaint.pk},
    "partner_portal:duty_complete": lambda e: {"pk": e.duty.pk},
    "partner_portal:duty_completion_attachment": lambda e: {
        "pk": e.completion.pk,
        "attachment_id": e.completion_attachment.pk,
    },
    "partner_portal:complaint_answer": lambda e: {"pk": e.complaint.pk},
    "partner_portal:complaint_photo": lambda e: {"pk": e.complaint.pk},
    "partner_portal:project_reports": lambda e: {"pk": e.project.pk},
    "partner_portal:report_new": lambda e: {"pk": e.project.pk},
    "partner_portal:report": lambda e: {"pk": e.report.pk},
    "partner_portal:report_withdraw": lambda e: {"pk": e.report.pk},
    "partner_portal:report_attachment": lambda e: {"pk": e.report.pk, "attachment_id": e.attachment.pk},
    "partner_portal:apply": lambda e: {"pk": e.call.pk},
    "partner_portal:withdraw": lambda e: {"pk": e.application.pk},
    "partner_portal:application_attachment": lambda e: {
        "pk": e.application.pk,
        "attachment_id": e.application_attachment.pk,
    },
}


def url_names(namespace: str) -> list[tuple[str, bool]]:
    """Each URL name of the portal, with whether its pattern takes arguments."""
    resolver = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == namespace
    )
    return [
        (f"{namespace}:{entry.name}", bool(entry.pattern.regex.groupindex))
        for entry in resolver.url_patterns
        if isinstance(entry, URLPattern) and entry.name
    ]


def portal_urls(namespace: str, example: Example) -> list[tuple[str, str]]:
    """(url name, URL) of each of the portal's URLs; one with arguments but no example is named by its own test."""
    return [
        (name, reverse(name, kwargs=EXAMPLES[name](example) if takes_arguments else None))
        for name, takes_arguments in url_names(namespace)
        if name in EXAMPLES or not takes_arguments
    ]


def stored_file(attachments, name: str, content: bytes):
    """An attachment row of the related manager `attachments`, with its file written."""
    attachment = attachments.create(original_name=name, content_type="application/pdf", size=len(content))
    attachment.file.save(name, ContentFile(content))
    return attachment


@pytest.fixture
def example(settings, tmp_path) -> Example:
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = factories.OrganisationFactory(name="阳光社工服务中心")
    participation = factories.ParticipationFactory(
        organisation=organisation,
        project__name="后台社区绿地认领",
        project__community__name="后台社区",
    )
    project, community = participation.project, participation.project.community
    resident = factories.ResidentFactory(
        community=community,
        name="王芳",
        user=user_with_password(factories.UserFactory(username="resident")),
    )
    task = factories.TaskFactory(project=project, code="G07", title="三号楼旁草坪")
    factories.TaskFactory(project=project, code="G08", title="健身角花坛")
    claim = factories.ClaimFactory(task=task, resident=resident)
    checkin = factories.CheckInFactory(claim=claim, note="浇水并清理垃圾。")
    checkin.photo.save("plot.png", ContentFile(tiny_png(16, 16)))
    complaint = factories.ComplaintFactory(
        project=project,
        resident=resident,
        routed_to=organisation,
        subject="午餐送到时是凉的",
        body="连续三天送到的饭菜都是凉的。",
    )
    complaint.photo.save("meal.png", ContentFile(tiny_png(16, 16)))
    complaint.photo.save("lunch.png", ContentFile(tiny_png(16, 16)))
    factories.NeedFactory(community=community, resident=resident, title="楼道需要扶手")
    factories.RatingFactory(project=project, resident=resident)
    duty = factories.DutyFactory(project=project, accountable=participation, title="每周清洁厨房")
    completion = factories.DutyCompletionFactory(duty=duty, evidence="厨房清洁照片，居委会签字。")
    report = factories.ServiceReportFactory(project=project, organisation=organisation, narrative="每个工作日供餐。")
    factories.ReportEventFactory(report=report)
    attachment = stored_file(report.attachments, "receipts.pdf", b"%PDF-1.4\n")
    call = factories.CallFactory(
        project__community=community,
        project__stage=Stage.DESIGN,
        title="长者食堂运营伙伴征集",
        deadline=timezone.now() + timedelta(days=14),
    )
    application = factories.ApplicationFactory(call=call, organisation=organisation)
    factories.CallFactory(project__community=community, project__stage=Stage.DESIGN, title="绿地养护伙伴征集")
    return Example(
        resident_user=resident.user,
        manager=user_with_password(manager_of(organisation)),
        staff=user_with_password(staff_of(organisation)),
        task=task,
        claim=claim,
        checkin=checkin,
        complaint=complaint,
        duty=duty,
        project=project,
        completion=completion,
        completion_attachment=stored_file(completion.attachments, "photos.pdf", b"%PDF-1.4\n"),
        report=report,
        attachment=attachment,
        call=call,
        application=application,
        application_attachment=stored_file(application.attachments, "plan.pdf", b"%PDF-1.4\n"),
    )


def violations_on(page, axe, url: str) -> list[str]:
    """The serious and critical violations on the page as shown, with its menus and other disclosures opened."""
    page.evaluate("document.querySelectorAll('details').forEach(disclosure => { disclosure.open = true; })")
    return [
        f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in axe.run(page).response["violations"]
        if violation["impact"] in SERIOUS
    ]


def serious_violations(
    browser,
    live_server,
    user,
    urls: list[tuple[str, str]],
    viewport: dict,
    name: str,
    *,
    refused_too: bool = False,
) -> list[str]:
    """Open each URL in Chinese as `user`; one line per serious or critical violation found.

    With `refused_too`, a page that refuses the user (403) is checked as the page they see. A form
    named in SENT_EMPTY is then sent empty, and the page with its error messages is checked too.
    """
    options = {"viewport": viewport}
    if viewport == PHONE:
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    page, axe, found, checked = context.new_page(), Axe(), [], 0
    try:
        login(page, live_server, user.username)
        for url_name, url in urls:
            # Asked first without rendering: an action answers 405 with no page, a file is no HTML.
            probe = page.request.get(f"{live_server.url}{url}")
            if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
                continue
            response = page.goto(f"{live_server.url}{url}")
            expected = (200, 403) if refused_too else (200,)
            assert response.status in expected, f"{url} answered {response.status}: its example does not fit it"
            assert page.locator("html").get_attribute("lang") == "zh-hans", url
            checked += 1
            screenshot(page, f"a11y-{name}-{url.strip('/').replace('/', '-')}")
            found += violations_on(page, axe, url)
            submit = page.locator("main form[novalidate] button[type=submit]")
            if url_name in SENT_EMPTY and response.status == 200 and submit.count():
                submit.first.click()
                page.wait_for_load_state()
                assert page.locator("[aria-invalid=true]").count(), f"{url}: the empty form showed no error"
                screenshot(page, f"a11y-{name}-{url.strip('/').replace('/', '-')}-errors")
                found += violations_on(page, axe, f"{url} (sent empty)")
    finally:
        context.close()
    assert checked, f"no page of {urls} was checked"
    return found


def test_every_portal_page_with_arguments_has_an_example():
    missing = [name for namespace in PORTALS for name, takes in url_names(namespace) if takes and name not in EXAMPLES]
    assert not missing, f"add an example to EXAMPLES in {__name__} for: {', '.join(missing)}"


def test_every_resident_page_on_a_phone_has_no_serious_accessibility_violation(browser, live_server, example):
    urls = portal_urls("resident_portal", example)

    found = serious_violations(browser, live_server, example.resident_user, urls, PHONE, "resident")

    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_every_partner_portal_page_has_no_serious_accessibility_violation(browser, live_server, example, role):
    urls = portal_urls("partner_portal", example)

    found = serious_violations(
        browser,
        live_server,
        getattr(example, role),
        urls,
        DESKTOP,
        f"partner-{role}",
        refused_too=role == "staff",
    )

    assert not found, "\n".join(found)
