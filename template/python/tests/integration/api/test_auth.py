"""Bearer authentication: tokens from /auth/token, 401 for everything else."""

import pytest

from tests.factories import PASSWORD


def test_valid_credentials_get_a_token_that_identifies_the_user(client, user):
    response = client.post("/auth/token", json={"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
    token = response.json()["access_token"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["id"] == user.id


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


def test_a_token_for_a_deleted_user_is_refused(client, auth_headers, user):
    assert client.delete(f"/users/{user.id}", headers=auth_headers).status_code == 204

    assert client.get("/users/me", headers=auth_headers).status_code == 401
