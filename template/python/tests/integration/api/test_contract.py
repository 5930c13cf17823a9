"""The published OpenAPI document is a contract with clients. It is committed (openapi.json):
a change to the API shows up as a diff here, and every answer the API tests get is checked
against the committed document by `client` (tests/support/openapi.py), not by the app's models.
"""

import json

import pytest

from tests.support.openapi import ACCEPT, SNAPSHOT, Contract, snapshot_diff

pytestmark = pytest.mark.contract


def test_the_published_document_is_the_committed_one(client):
    diff = snapshot_diff(client.get("/openapi.json").json())

    assert not diff, f"The API's contract changed. If that is meant, run `{ACCEPT}` and commit {SNAPSHOT.name}:\n{diff}"


def test_the_document_is_titled_after_the_app(client, settings):
    assert client.get("/openapi.json").json()["info"]["title"] == settings.app_name


def test_an_answer_with_a_renamed_field_breaks_the_contract(contract: Contract):
    renamed = {"id": 1, "mail": "ada@example.com", "full_name": "Ada", "created_at": "2026-01-01T00:00:00Z"}

    with pytest.raises(AssertionError, match="email"):
        contract.check("GET", "/users/1", 200, json.dumps(renamed).encode(), "application/json")


def test_an_undocumented_status_breaks_the_contract(contract: Contract):
    with pytest.raises(AssertionError, match="does not document"):
        contract.check("GET", "/users/1", 418, b"{}", "application/json")


def test_the_profile_route_documents_every_answer_to_a_failing_profile_api(contract: Contract):
    responses = contract.document["paths"]["/users/{user_id}/profile"]["get"]["responses"]

    assert {"200", "404", "422", "429", "502", "503", "504"} <= set(responses)
    for status in ("404", "502", "503", "504"):
        assert responses[status]["description"], f"{status} has no description"
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorMessage"}
