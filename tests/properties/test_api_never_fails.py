"""Whatever a client posts to the report and check-in endpoints, the API answers 2xx or 4xx, never 5xx,
and the rules still hold afterwards."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from coproduction.models import CheckIn, ServiceReport
from tests.coproduction.report_fixtures import media, png, provider
from tests.factories import ClaimFactory, ResidentFactory, TaskFactory, UserFactory
from tests.properties.examples import DATABASE_EXAMPLES, rolled_back
from tests.properties.test_report_periods import assert_no_overlap

pytestmark = pytest.mark.django_db

ANSWERS = {200, 201, 400, 403, 404, 409}

days = st.integers(-800, 1200).map(lambda n: (timezone.localdate() + timedelta(days=n)).isoformat())
junk = st.one_of(
    st.text(max_size=20),
    st.integers(-(10**20), 10**20).map(str),
    st.just(""),
    st.just("NaN"),
    st.just("1e309"),
    st.just("0x10"),
    st.just("2025-02-30"),
)
numbers = st.one_of(st.integers(-5, 10**16).map(str), st.decimals(allow_nan=True, allow_infinity=True).map(str), junk)
report_bodies = st.fixed_dictionaries(
    {
        "period_start": st.one_of(days, junk),
        "period_end": st.one_of(days, junk),
        "people_served": numbers,
        "service_units": numbers,
        "cost": numbers,
        "income": numbers,
        "subsidy": numbers,
        "narrative": st.text(max_size=50),
    }
)


@DATABASE_EXAMPLES
@given(body=report_bodies, with_file=st.booleans())
def test_a_report_submission_never_fails_with_a_server_error(provider, body, with_file):
    client = APIClient()
    client.force_authenticate(provider.staff)
    with rolled_back():
        data = {"project": provider.project.pk, "organisation": provider.organisation.pk, **body}
        if with_file:
            data["attachments"] = [png()]
        response = client.post("/api/v1/reports/", data, format="multipart")
        assert response.status_code in ANSWERS, (response.status_code, response.content[:300])
        assert (response.status_code == 201) == ServiceReport.objects.exists()
        assert_no_overlap()


@DATABASE_EXAMPLES
@given(on=st.one_of(days, junk), note=st.text(max_size=50), twice=st.booleans())
def test_a_check_in_never_fails_with_a_server_error(provider, on, note, twice):
    resident = ResidentFactory(community=provider.project.community, user=UserFactory())
    client = APIClient()
    client.force_authenticate(resident.user)
    with rolled_back():
        claim = ClaimFactory(task=TaskFactory(project=provider.project), resident=resident)
        for _ in range(2 if twice else 1):
            response = client.post(f"/api/v1/claims/{claim.pk}/check-in/", {"on": on, "note": note})
            assert response.status_code in ANSWERS, (response.status_code, response.content[:300])
        assert CheckIn.objects.filter(claim=claim).count() <= 1
