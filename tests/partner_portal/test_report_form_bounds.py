"""A report's figures beyond what a column holds, or its period in a far year, are form errors on the page."""

import pytest

from coproduction.models import ServiceReport
from tests.partner_portal.test_reports import post_report

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("people_served", HUGE),
        ("service_units", "2147483648"),
        ("cost", HUGE),
        ("subsidy", "-" + HUGE),
        ("period_start", "5735-06-27"),
        ("period_end", "1999-12-31"),
        ("narrative", "x" * 10_001),
    ],
)
def test_a_value_beyond_its_bounds_is_refused_beside_the_field_and_nothing_is_stored(
    client, provider, staff, field, value
):
    client.force_login(staff)

    response = post_report(client, provider, **{field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert value[:50] in response.content.decode()  # what was typed is kept
    assert not ServiceReport.objects.exists()
