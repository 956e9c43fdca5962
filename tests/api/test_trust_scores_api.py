"""Partners' trust scores through the API: public to every signed-in user, filtered and ordered by score."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import OrganisationFactory, TrustScoreFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


@pytest.mark.parametrize("role", ["official", "resident", "manager", "nobody"])
def test_every_signed_in_user_lists_the_trust_scores(client_for, official, resident, manager_of, role):
    trust = TrustScoreFactory()
    user = {
        "official": official,
        "resident": resident.user,
        "manager": manager_of(OrganisationFactory()),
        "nobody": UserFactory(),
    }[role]
    response = client_for(user).get("/api/v1/trust-scores/")
    assert response.status_code == 200
    assert ids(response) == {trust.pk}


def test_a_trust_score_is_read_with_its_components_and_organisation(client_for, official):
    trust = TrustScoreFactory(details={"open_breaches": 1})
    response = client_for(official).get(f"/api/v1/trust-scores/{trust.pk}/")
    assert response.status_code == 200
    assert response.data["organisation_name"] == trust.organisation.name
    assert response.data["organisation_kind"] == "ngo"
    assert (response.data["score"], response.data["breach_component"]) == ("80.00", "5.00")
    assert response.data["details"] == {"open_breaches": 1}


def test_an_anonymous_caller_reads_no_trust_score(client_for):
    trust = TrustScoreFactory()
    assert client_for().get("/api/v1/trust-scores/").status_code == 401
    assert client_for().get(f"/api/v1/trust-scores/{trust.pk}/").status_code == 401


def test_an_unknown_trust_score_is_a_404(client_for, official):
    response = client_for(official).get("/api/v1/trust-scores/999999/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_trust_scores_are_filtered_by_organisation_and_date_range(client_for, official):
    organisation = OrganisationFactory()
    today = timezone.localdate()
    recent = TrustScoreFactory(organisation=organisation, computed_on=today)
    TrustScoreFactory(organisation=organisation, computed_on=today - timedelta(days=40))
    TrustScoreFactory(computed_on=today)
    since = (today - timedelta(days=7)).isoformat()
    url = f"/api/v1/trust-scores/?organisation={organisation.pk}&computed_on_after={since}"
    assert ids(client_for(official).get(url)) == {recent.pk}


def test_trust_scores_are_filtered_by_organisation_kind(client_for, official):
    enterprise = TrustScoreFactory(organisation=OrganisationFactory(enterprise=True))
    TrustScoreFactory()
    assert ids(client_for(official).get("/api/v1/trust-scores/?organisation_kind=enterprise")) == {enterprise.pk}


def test_an_unknown_organisation_kind_is_a_400_naming_the_filter(client_for, official):
    response = client_for(official).get("/api/v1/trust-scores/?organisation_kind=church")
    assert response.status_code == 400
    assert "organisation_kind" in response.data["errors"]


def test_trust_scores_are_ordered_by_score(client_for, official):
    for score in ("61.00", "95.50", "78.25"):
        TrustScoreFactory(score=score)
    response = client_for(official).get("/api/v1/trust-scores/?ordering=-score")
    assert [row["score"] for row in response.data["results"]] == ["95.50", "78.25", "61.00"]


def test_trust_scores_are_searched_by_organisation_name(client_for, official):
    wanted = TrustScoreFactory(organisation=OrganisationFactory(name="Sunset elderly care"))
    TrustScoreFactory(organisation=OrganisationFactory(name="Green hands"))
    assert ids(client_for(official).get("/api/v1/trust-scores/?search=elderly")) == {wanted.pk}


def test_trust_scores_cannot_be_written_through_the_api(client_for, administrator):
    organisation = OrganisationFactory()
    response = client_for(administrator).post(
        "/api/v1/trust-scores/", {"organisation": organisation.pk, "score": "100"}, format="json"
    )
    assert response.status_code == 405
    assert not organisation.trust_scores.exists()


def test_the_trust_score_list_keeps_its_query_count_from_5_to_50_rows(client_for, official, django_assert_num_queries):
    client = client_for(official)
    TrustScoreFactory.create_batch(5)
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/trust-scores/").status_code == 200
    TrustScoreFactory.create_batch(45)
    with django_assert_num_queries(len(at_five)):
        assert client.get("/api/v1/trust-scores/").data["count"] == 50
