"""Communities, organisations and residents: who sees which rows, and whose contact details are masked."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import CommunityFactory, MembershipFactory, OrganisationFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def test_an_anonymous_caller_is_refused_with_401_in_the_error_shape(client_for):
    response = client_for().get("/api/v1/communities/")
    assert response.status_code == 401
    assert response.data["code"] == "not_authenticated"
    assert set(response.data) == {"message", "code", "errors"}


def test_a_token_authenticates_an_organisation_system(manager_of):
    organisation = OrganisationFactory()
    token = Token.objects.create(user=manager_of(organisation))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(f"/api/v1/organisations/{organisation.pk}/")
    assert response.status_code == 200
    assert response.data["credit_code"] == organisation.credit_code


def test_an_official_lists_only_their_own_communities(client_for, official, community, other_community):
    response = client_for(official).get("/api/v1/communities/")
    assert response.status_code == 200
    assert ids(response) == {community.pk}


def test_an_official_gets_404_for_another_community(client_for, official, other_community):
    response = client_for(official).get(f"/api/v1/communities/{other_community.pk}/")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_a_resident_sees_their_own_community(client_for, resident, community):
    assert ids(client_for(resident.user).get("/api/v1/communities/")) == {community.pk}


def test_organisations_are_filtered_by_kind_and_status(client_for, official):
    ngo = OrganisationFactory()
    OrganisationFactory(enterprise=True)
    OrganisationFactory(status="suspended")
    response = client_for(official).get("/api/v1/organisations/?kind=ngo&status=approved")
    assert ids(response) == {ngo.pk}


def test_an_invalid_filter_value_is_a_400_naming_the_field(client_for, official):
    response = client_for(official).get("/api/v1/organisations/?kind=church")
    assert response.status_code == 400
    assert "kind" in response.data["errors"]


def test_an_organisation_phone_is_masked_for_a_resident(client_for, resident):
    organisation = OrganisationFactory(contact_phone="13812345678")
    response = client_for(resident.user).get(f"/api/v1/organisations/{organisation.pk}/")
    assert response.data["contact_phone"] == "138****5678"


def test_an_organisation_phone_is_masked_for_its_plain_staff(client_for):
    organisation = OrganisationFactory(contact_phone="13812345678")
    staff = MembershipFactory(organisation=organisation).user
    assert client_for(staff).get(f"/api/v1/organisations/{organisation.pk}/").data["contact_phone"] == "138****5678"


def test_an_organisation_phone_is_shown_to_its_manager_officials_and_administrators(
    client_for, manager_of, official, administrator
):
    organisation = OrganisationFactory(contact_phone="13812345678")
    for user in (manager_of(organisation), official, administrator):
        response = client_for(user).get(f"/api/v1/organisations/{organisation.pk}/")
        assert response.data["contact_phone"] == "13812345678"


def test_an_official_lists_the_residents_of_their_community_unmasked(client_for, official, community):
    mine = ResidentFactory(community=community, phone="13912345678")
    ResidentFactory(community=CommunityFactory())
    response = client_for(official).get("/api/v1/residents/")
    assert ids(response) == {mine.pk}
    assert response.data["results"][0]["phone"] == "13912345678"


def test_an_official_gets_404_for_another_communitys_resident(client_for, official):
    stranger = ResidentFactory(community=CommunityFactory())
    assert client_for(official).get(f"/api/v1/residents/{stranger.pk}/").status_code == 404


def test_a_resident_sees_only_their_own_record_unmasked(client_for, resident, community):
    ResidentFactory(community=community)
    response = client_for(resident.user).get("/api/v1/residents/")
    assert ids(response) == {resident.pk}
    assert response.data["results"][0]["phone"] == resident.phone


def test_organisation_staff_see_no_residents(client_for):
    ResidentFactory()
    staff = MembershipFactory().user
    assert client_for(staff).get("/api/v1/residents/").data["count"] == 0


def test_an_administrator_sees_every_resident(client_for, administrator):
    residents = ResidentFactory.create_batch(2)
    assert ids(client_for(administrator).get("/api/v1/residents/")) == {r.pk for r in residents}


def test_a_user_without_any_role_sees_no_communities(client_for, community):
    assert client_for(UserFactory()).get("/api/v1/communities/").data["count"] == 0
