"""The external profile API, mocked at the HTTP boundary with respx."""

import contextlib

import httpx
import pytest

from tests.conftest import PROFILE_API_URL
from tests.fixtures import load

PROFILES = f"{PROFILE_API_URL}/v1/profiles/"


def test_a_profile_comes_from_the_api(client, auth_headers, user, external_api):
    external_api.get(url__startswith=PROFILES).respond(200, json=load("profiles.json")["found"])

    response = client.get(f"/users/{user.id}/profile", headers=auth_headers)

    assert response.status_code == 200
    assert response.json() == {
        "user_id": user.id,
        "display_name": "Ada L.",
        "avatar_url": "https://avatars.example.com/ada.png",
    }


def test_without_a_profile_the_users_own_name_is_shown(client, auth_headers, user, external_api):
    external_api.get(url__startswith=PROFILES).respond(404)

    body = client.get(f"/users/{user.id}/profile", headers=auth_headers).json()

    assert body == {"user_id": user.id, "display_name": user.full_name, "avatar_url": None}


def test_profiles_are_cached_between_requests(client, auth_headers, user, external_api):
    route = external_api.get(url__startswith=PROFILES).respond(200, json=load("profiles.json")["without_avatar"])

    first = client.get(f"/users/{user.id}/profile", headers=auth_headers)
    second = client.get(f"/users/{user.id}/profile", headers=auth_headers)

    assert first.json() == second.json()
    assert route.call_count == 1


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(502), httpx.ConnectTimeout("timed out")],
    ids=["server-error", "timeout"],
)
def test_an_unavailable_api_is_503(client, auth_headers, user, external_api, failure):
    route = external_api.get(url__startswith=PROFILES)
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)

    response = client.get(f"/users/{user.id}/profile", headers=auth_headers)

    assert response.status_code == 503
    assert response.json() == {"detail": "Profile service unavailable"}


def test_an_unmocked_request_is_caught_even_when_the_caller_swallows_the_error(external_api):
    # Like app code that swallows every error:
    with httpx.Client() as http, contextlib.suppress(Exception):
        http.get("https://unmocked.example.com/anything")

    assert [str(request.url) for request in external_api.unmocked] == ["https://unmocked.example.com/anything"]
    assert "unmocked.example.com" in external_api.unmocked_report()
    external_api.unmocked.clear()  # seen and asserted: without this line, teardown fails this test
