"""The users resource over HTTP: status codes, response shapes, validation messages, paging,
and hostile input: out-of-range numbers, unstorable text and broken bodies are 4xx, never 500."""

import json

import pytest
from fastapi.testclient import TestClient

from tests.factories import UserFactory


def test_sign_up_returns_201_and_the_user_without_secrets(client):
    payload = UserFactory.build()

    response = client.post("/users", json=payload)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "full_name", "created_at"}
    assert body["email"] == payload["email"]
    assert body["full_name"] == payload["full_name"]


def test_a_signed_up_user_can_be_read_back(client, auth_headers):
    created = client.post("/users", json=UserFactory.build()).json()

    response = client.get(f"/users/{created['id']}", headers=auth_headers)

    assert response.status_code == 200
    assert response.json() == created


def test_signing_up_twice_with_one_email_is_a_conflict(client, user):
    response = client.post("/users", json=UserFactory.build(email=user.email))

    assert response.status_code == 409
    assert response.json() == {"detail": "A user with this email already exists"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "value is not a valid email address"),
        ({"password": "short"}, "password", "String should have at least 8 characters"),
        ({"full_name": ""}, "full_name", "String should have at least 1 character"),
    ],
)
def test_invalid_sign_ups_are_422_with_a_message_per_field(client, change, field, message):
    response = client.post("/users", json=UserFactory.build(**change))

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert message in error["msg"]
    assert set(error) == {"type", "loc", "msg"}  # and never the input: it may be a password


def test_an_unknown_user_is_404(client, auth_headers):
    response = client.get("/users/987654321", headers=auth_headers)

    assert response.status_code == 404
    assert response.json() == {"detail": "User 987654321 not found"}


def test_a_user_can_be_renamed(client, auth_headers, user):
    response = client.patch(f"/users/{user.id}", json={"full_name": "New Name"}, headers=auth_headers)

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["email"], body["full_name"]) == (user.id, user.email, "New Name")
    assert client.get(f"/users/{user.id}", headers=auth_headers).json()["full_name"] == "New Name"


def test_a_deleted_user_is_gone(client, auth_headers, user, user_factory, headers_for):
    assert client.delete(f"/users/{user.id}", headers=auth_headers).status_code == 204

    someone_else = headers_for(user_factory())
    assert client.get(f"/users/{user.id}", headers=someone_else).status_code == 404


def test_users_are_listed_a_page_at_a_time(client, auth_headers, user_factory):
    for _ in range(4):
        user_factory()
    total = client.get("/users", headers=auth_headers).json()["total"]

    first, second = (
        client.get("/users", params={"page": page, "size": 2}, headers=auth_headers).json() for page in (1, 2)
    )
    last_page = (total + 1) // 2
    last = client.get("/users", params={"page": last_page, "size": 2}, headers=auth_headers).json()

    assert total >= 4
    assert len(first["items"]) == 2
    first_ids, second_ids = ([item["id"] for item in page["items"]] for page in (first, second))
    assert max(first_ids) < min(second_ids), "pages overlap or are out of order"
    assert (first["page"], first["size"]) == (1, 2)
    assert first["next"] == "/users?page=2&size=2"
    assert last["next"] is None
    assert len(last["items"]) == total - 2 * (last_page - 1)


def test_the_list_stays_in_id_order_after_an_update(client, auth_headers, user_factory, headers_for):
    first, *_ = (user_factory() for _ in range(3))
    # An UPDATE writes a new row version at the end of the table: without an ORDER BY, the
    # database would now return this user last.
    renamed = client.patch(f"/users/{first.id}", json={"full_name": "Renamed"}, headers=headers_for(first))

    ids = [item["id"] for item in client.get("/users", params={"size": 100}, headers=auth_headers).json()["items"]]

    assert renamed.status_code == 200
    assert ids == sorted(ids)


def test_page_size_is_bounded(client, auth_headers):
    response = client.get("/users", params={"size": 101}, headers=auth_headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "size"]


@pytest.mark.parametrize("user_id", ["0", "-1", "2147483648", "99999999999999999999", "1.5", "abc"])
def test_ids_outside_the_database_range_are_422(client, auth_headers, user_id):
    response = client.get(f"/users/{user_id}", headers=auth_headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "user_id"]


@pytest.mark.parametrize("page", ["0", "2147483648", "99999999999999999999"])
def test_page_numbers_outside_the_database_range_are_422(client, auth_headers, page):
    response = client.get("/users", params={"page": page}, headers=auth_headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("Ada\x00Lovelace", "must not contain NUL"), ("Ada \ud800", "should be a valid string")],
    ids=["nul", "lone-surrogate"],
)
@pytest.mark.parametrize("field", ["full_name", "password"])
def test_text_the_database_cannot_store_is_422_naming_the_field(client, field, text, message):
    payload = UserFactory.build(**{field: text + "-long-enough"})

    # json.dumps escapes the lone surrogate as JSON allows (\ud800); httpx would refuse to send it.
    response = client.post("/users", content=json.dumps(payload), headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert message in error["msg"]
    assert "Lovelace" not in response.text  # what was sent is not echoed back


@pytest.mark.parametrize(
    "content", [b"not json", b"[]", b'"a string"', b"null", b'{"email": 1}'], ids=lambda c: c.decode()
)
def test_bodies_that_are_not_the_right_json_are_422(client, content):
    response = client.post("/users", content=content, headers={"Content-Type": "application/json"})

    assert response.status_code == 422


class BrokenEvents:
    """A publisher whose broker fails mid-request: an error the app has no answer for."""

    def publish(self, name: str, payload: dict[str, object]) -> None:
        raise RuntimeError("broker exploded at 10.0.0.7")

    def close(self) -> None:
        pass


def test_an_unexpected_error_is_a_500_without_details(app, client, resources, monkeypatch):
    monkeypatch.setattr(resources, "events", BrokenEvents())
    # As a real server answers: the exception becomes a response instead of failing the test.
    server = TestClient(app, raise_server_exceptions=False)

    response = server.post("/users", json=UserFactory.build())

    assert response.status_code == 500
    assert response.text == "Internal Server Error"  # nothing of the error reaches the client
