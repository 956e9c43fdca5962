"""Officials' pages of a community's partners' trust scores and of the periodic jobs' runs, from its navigation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import PeriodKind
from accountability.services.breach_detection import JOB_NAME as ACCOUNTABILITY_JOB
from accountability.services.risk_detection import JOB_NAME as RISK_JOB
from accountability.tasks import supervision_job_name
from evaluation.tasks import TRUST_JOB_NAME
from jobs.models import JOB_LABELS, JobOutcome, job_label
from tests import factories
from tests.pages import official_of, queries_to_get, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return factories.CommunityFactory(name="Houtai", code="houtai")


@pytest.fixture
def signed_in(client, community):
    client.force_login(official_of(community))
    return client


def partners_url(community):
    return reverse("dashboard:partner_list", kwargs={"code": community.code})


def jobs_url(community):
    return reverse("dashboard:job_list", kwargs={"code": community.code})


def taking_part(community, name, **participation):
    project = factories.ProjectFactory(community=community)
    return factories.ParticipationFactory(project=project, organisation__name=name, **participation).organisation


# --- Navigation and access -------------------------------------------------------------------


def test_the_community_navigation_links_to_needs_partners_and_jobs(signed_in, community):
    html = signed_in.get(reverse("dashboard:community", kwargs={"code": community.code})).content.decode()
    nav = html.split('<nav class="section-nav"', 1)[1].split("</nav>", 1)[0]
    for url in (
        reverse("dashboard:need_list", kwargs={"code": community.code}),
        partners_url(community),
        jobs_url(community),
    ):
        assert f'href="{url}"' in nav


@pytest.mark.parametrize("url_of", [partners_url, jobs_url])
def test_another_community_s_pages_are_not_found_and_partners_staff_are_refused(client, community, url_of):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(url_of(community)).status_code == 404
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(url_of(community)).status_code == 403


# --- Partners' trust scores ------------------------------------------------------------------


def test_the_partners_page_lists_the_community_s_partners_with_their_latest_score_lowest_first(signed_in, community):
    strong = taking_part(community, "Sunshine NGO")
    weak = taking_part(community, "Late Caterers")
    factories.TrustScoreFactory(
        organisation=strong, computed_on=timezone.localdate() - timedelta(days=1), score=Decimal("50.00")
    )
    factories.TrustScoreFactory(organisation=strong, score=Decimal("88.00"))
    factories.TrustScoreFactory(
        organisation=weak,
        score=Decimal("61.00"),
        evaluation_component=Decimal("75.00"),
        breach_component=Decimal("14.00"),
        details={
            "evaluations": 3,
            "default_evaluation_used": False,
            "open_breaches": 1,
            "resolved_breaches_last_year": 2,
            "severe_sanctions_last_year": 1,
            "deduction_before_cap": 14,
        },
    )
    taking_part(factories.CommunityFactory(), "Elsewhere Services")
    taking_part(community, "Gone Ltd", left_on=timezone.localdate())

    response = signed_in.get(partners_url(community))

    rows = response.context["organisations"]
    assert [(row.name, row.trust["score"]) for row in rows] == [
        ("Late Caterers", Decimal("61.00")),
        ("Sunshine NGO", Decimal("88.00")),
    ]
    html = response.content.decode()
    assert "Mean of 3 evaluations" in html
    assert "Open breaches: 1; resolved in the last year: 2; suspensions or blacklistings: 1" in html
    assert "Elsewhere Services" not in html and "Gone Ltd" not in html
    assert 'href="#how-computed"' in html and 'id="how-computed"' in html


def test_a_partner_without_a_score_yet_is_listed_last_as_not_computed(signed_in, community):
    scored = taking_part(community, "Scored")
    factories.TrustScoreFactory(organisation=scored)
    taking_part(community, "Brand New")

    response = signed_in.get(partners_url(community))

    assert [row.name for row in response.context["organisations"]] == ["Scored", "Brand New"]
    assert "Not computed yet." in response.content.decode()


def community_with_partners(count):
    community = factories.CommunityFactory()
    for index in range(count):
        organisation = taking_part(community, f"Partner {index}")
        factories.TrustScoreFactory(organisation=organisation)
    return community


def test_the_partners_page_makes_as_many_queries_for_30_partners_as_for_3(client):
    few = community_with_partners(3)
    client.force_login(official_of(few))
    queries_for_few = queries_to_get(client, partners_url(few))
    many = community_with_partners(30)
    client.force_login(official_of(many))
    assert queries_to_get(client, partners_url(many)) == queries_for_few


# --- Periodic jobs ---------------------------------------------------------------------------


def test_every_job_the_apps_run_has_a_label():
    names = {ACCOUNTABILITY_JOB, RISK_JOB, TRUST_JOB_NAME, *(supervision_job_name(kind) for kind in PeriodKind.values)}
    assert names <= set(JOB_LABELS)


def test_a_job_without_a_label_is_still_named_in_words():
    assert job_label("some.future_job") == "Other periodic job"


def test_the_jobs_page_shows_each_job_s_last_run_by_its_label_never_its_code(signed_in, community):
    now = timezone.now()
    factories.JobRunFactory(
        job=TRUST_JOB_NAME,
        started_at=now - timedelta(days=2),
        outcome=JobOutcome.FAILED,
        error="OperationalError: database is locked",
    )
    latest = factories.JobRunFactory(job=TRUST_JOB_NAME, started_at=now - timedelta(hours=1))
    factories.JobRunFactory(job=ACCOUNTABILITY_JOB, community=community, started_at=now)
    factories.JobRunFactory(job=ACCOUNTABILITY_JOB, community=factories.CommunityFactory(), started_at=now)

    response = signed_in.get(jobs_url(community))

    ran = [row["run"] for row in response.context["last_runs"] if row["run"] is not None]
    assert latest in ran and len(ran) == 2
    html = response.content.decode()
    assert "Trust score computation" in html and "Breach check: missed duties, reports and complaints" in html
    assert TRUST_JOB_NAME not in html and ACCOUNTABILITY_JOB not in html
    assert html.count("Has not run yet.") == len(JOB_LABELS) - 2


def test_the_jobs_page_lists_the_recent_failures_of_the_community_and_of_all_communities(signed_in, community):
    now = timezone.now()
    mine = factories.JobRunFactory(
        job=RISK_JOB, community=community, outcome=JobOutcome.FAILED, started_at=now - timedelta(days=1), error="boom"
    )
    everywhere = factories.JobRunFactory(job=TRUST_JOB_NAME, outcome=JobOutcome.FAILED, started_at=now)
    factories.JobRunFactory(
        job=RISK_JOB, community=community, outcome=JobOutcome.FAILED, started_at=now - timedelta(days=60)
    )
    factories.JobRunFactory(job=RISK_JOB, community=factories.CommunityFactory(), outcome=JobOutcome.FAILED)

    response = signed_in.get(jobs_url(community))

    assert list(response.context["failures"]) == [everywhere, mine]


def test_the_overview_names_the_jobs_by_their_labels(signed_in, community):
    factories.JobRunFactory(job=supervision_job_name(PeriodKind.MONTHLY))

    html = signed_in.get(reverse("dashboard:community", kwargs={"code": community.code})).content.decode()

    assert "Monthly supervision reports" in html and "accountability.build_supervision_reports" not in html


def test_the_jobs_page_makes_as_many_queries_for_many_runs_as_for_few(client, community):
    client.force_login(official_of(community))
    factories.JobRunFactory(job=RISK_JOB, outcome=JobOutcome.FAILED)
    queries_for_few = queries_to_get(client, jobs_url(community))
    for name in JOB_LABELS:
        factories.JobRunFactory.create_batch(5, job=name, community=community, outcome=JobOutcome.FAILED)
    assert queries_to_get(client, jobs_url(community)) == queries_for_few
