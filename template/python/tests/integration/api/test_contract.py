"""The published OpenAPI schema is a contract with clients: responses must match it."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.contract


def _schema(client: TestClient, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = client.get("/openapi.json").json()["components"]["schemas"][name]
    return schema


def test_the_api_publishes_its_users_routes(client, settings):
    document = client.get("/openapi.json").json()
    paths = document["paths"]

    assert document["info"]["title"] == settings.app_name

    assert {"post", "get"} <= set(paths["/users"])
    assert {"get", "patch", "delete"} <= set(paths["/users/{user_id}"])


def test_a_user_response_has_exactly_the_documented_fields(client, auth_headers, user):
    schema = _schema(client, "UserOut")

    body = client.get(f"/users/{user.id}", headers=auth_headers).json()

    assert set(body) == set(schema["properties"])
    assert set(schema["required"]) <= set(body)


def test_a_page_response_has_exactly_the_documented_fields(client, auth_headers):
    schema = _schema(client, "UserPage")

    body = client.get("/users", headers=auth_headers).json()

    assert set(body) == set(schema["properties"])


def test_the_profile_route_documents_every_answer_to_a_failing_profile_api(client):
    responses = client.get("/openapi.json").json()["paths"]["/users/{user_id}/profile"]["get"]["responses"]

    assert {"200", "404", "422", "429", "502", "503", "504"} <= set(responses)
    for status in ("404", "502", "503", "504"):
        assert responses[status]["description"], f"{status} has no description"
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorMessage"}
