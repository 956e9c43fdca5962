"""Every path under /api/ that names no endpoint answers the API's 404 in its error shape, whatever it holds."""

import pytest

pytestmark = pytest.mark.django_db

NOT_FOUND = {"message": "Not found.", "code": "not_found", "errors": {}}
# Every control character, percent-encoded as a client sends it.
CONTROL_CHARACTERS = [f"%{code:02X}" for code in [*range(0x20), 0x7F]]


def assert_api_not_found(response) -> None:
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_a_control_character_after_the_prefix_is_the_api_s_404(client_for, character):
    client = client_for()
    assert_api_not_found(client.get(f"/api/v1/{character}/"))
    assert_api_not_found(client.get(f"/api/v1/{character}", follow=True))
    assert_api_not_found(client.get(f"/api/v1/projects/x{character}y/z/"))


@pytest.mark.parametrize("character", ["%00", "%01", "%0A", "%0D", "%1F", "%7F"])
def test_a_post_to_such_a_path_is_the_api_s_404_not_a_csrf_page(client_for, official, character):
    assert_api_not_found(client_for(official).post(f"/api/v1/{character}/", {}, format="json"))


@pytest.mark.parametrize("character", ["%00", "%0A", "%1B"])
def test_a_control_character_as_a_record_s_id_is_the_api_s_404(client_for, official, character):
    assert_api_not_found(client_for(official).get(f"/api/v1/projects/{character}/"))


@pytest.mark.parametrize("path", ["/api/v2/projects/", "/api/%0A", "/api/v1%01"])
def test_any_other_path_under_api_is_the_api_s_404(client_for, path):
    assert_api_not_found(client_for().get(path))


def test_a_page_s_missing_path_is_still_the_404_page(client_for):
    response = client_for().get("/public/%01/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
