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
    ("answer", "status", "detail"),
    [
        (httpx.Response(500), 503, "Profile service unavailable"),
        (httpx.ConnectError("connection refused"), 503, "Profile service unavailable"),
        (httpx.Response(429), 503, "Profile service is rate-limiting us"),
        (httpx.Response(403), 502, "Profile service rejected the request (403)"),
        (httpx.Response(200, text="<html>not json</html>"), 502, "Profile service sent a malformed profile"),
        (httpx.Response(200, json={"name": "no display_name"}), 502, "Profile service sent a malformed profile"),
        (httpx.ReadTimeout("timed out"), 504, "Profile service timed out"),
    ],
    ids=["server-error", "unreachable", "rate-limited", "rejected", "not-json", "wrong-shape", "timeout"],
)
def test_every_failure_of_the_api_has_its_own_answer(client, auth_headers, user, external_api, answer, status, detail):
    route = external_api.get(url__startswith=PROFILES)
    if isinstance(answer, Exception):
        route.mock(side_effect=answer)
    else:
        route.mock(return_value=answer)

    response = client.get(f"/users/{user.id}/profile", headers=auth_headers)

    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize("status", [429, 503])
def test_the_apis_retry_after_is_passed_on(client, auth_headers, user, external_api, status):
    external_api.get(url__startswith=PROFILES).respond(status, headers={"Retry-After": "30"})

    response = client.get(f"/users/{user.id}/profile", headers=auth_headers)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_a_failed_lookup_is_not_cached(client, auth_headers, user, external_api):
    route = external_api.get(url__startswith=PROFILES)
    route.side_effect = [httpx.Response(500), httpx.Response(200, json=load("profiles.json")["found"])]

    assert client.get(f"/users/{user.id}/profile", headers=auth_headers).status_code == 503
    assert client.get(f"/users/{user.id}/profile", headers=auth_headers).status_code == 200


def test_an_unmocked_request_is_caught_even_when_the_caller_swallows_the_error(external_api):
    # Like app code that swallows every error:
    with httpx.Client() as http, contextlib.suppress(Exception):
        http.get("https://unmocked.example.com/anything")

    assert [str(request.url) for request in external_api.unmocked] == ["https://unmocked.example.com/anything"]
    assert "unmocked.example.com" in external_api.unmocked_report()
    external_api.unmocked.clear()  # seen and asserted: without this line, teardown fails this test
