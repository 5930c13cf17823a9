"""Bearer authentication: tokens from /auth/token, 401 for everything else; a user changes only itself."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import PASSWORD


def test_valid_credentials_get_a_token_that_identifies_the_user(client, user):
    response = client.post("/auth/token", json={"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
    token = response.json()["access_token"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["id"] == user.id


def test_a_token_works_for_its_lifetime_and_not_a_second_longer(client, user, settings):
    # The clock moves (time-machine), not the test: no sleeping through an hour-long lifetime.
    with time_machine.travel(datetime.now(UTC), tick=True) as clock:
        token = client.post("/auth/token", json={"email": user.email, "password": PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        clock.shift(timedelta(seconds=settings.jwt_ttl_seconds - 2))
        near_the_end = client.get("/users/me", headers=headers)
        clock.shift(timedelta(seconds=3))
        expired = client.get("/users/me", headers=headers)

    assert near_the_end.status_code == 200
    assert expired.status_code == 401


def test_a_wrong_password_gets_no_token(client, user):
    response = client.post("/auth/token", json={"email": user.email, "password": "wrong-password"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect email or password"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["missing", "malformed", "wrong-scheme"],
)
def test_protected_routes_refuse_requests_without_a_valid_token(client, headers):
    response = client.get("/users", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-jwt"}], ids=["missing", "malformed"])
def test_every_operation_the_document_protects_refuses_requests_without_a_valid_token(client, headers):
    document = client.get("/openapi.json").json()
    protected = [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ]

    refused = {
        (method, url): client.request(method, url, headers=headers, json={}).status_code for method, url in protected
    }

    assert protected, "the OpenAPI document marks no operation as protected"
    assert refused == dict.fromkeys(protected, 401)


def test_a_token_for_a_deleted_user_is_refused(client, auth_headers, user):
    assert client.delete(f"/users/{user.id}", headers=auth_headers).status_code == 204

    assert client.get("/users/me", headers=auth_headers).status_code == 401


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_user_cannot_change_another_users_account(client, auth_headers, user_factory, method):
    other = user_factory()

    response = client.request(method, f"/users/{other.id}", json={"full_name": "Taken Over"}, headers=auth_headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only change your own account"}
    assert client.get(f"/users/{other.id}", headers=auth_headers).json()["full_name"] == other.full_name


def test_changing_an_id_that_does_not_exist_is_403_not_404(client, auth_headers):
    # A 404 here would tell any signed-in user which ids exist.
    response = client.delete("/users/987654321", headers=auth_headers)

    assert response.status_code == 403
