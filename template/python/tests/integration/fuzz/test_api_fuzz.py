"""Generated requests, valid and invalid, against the API's published OpenAPI document.

Whatever a signed-in client sends, and whatever the external profile API answers, the
answer is one the document lists, in the shape it describes: never an undocumented 5xx.
"""

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import assume, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tests.conftest import PROFILE_API_URL

# Every kind of answer the external API may give (see tests/integration/external).
EXTERNAL_ANSWERS = [
    httpx.Response(200, json={"display_name": "Ada L.", "avatar_url": None}),
    httpx.Response(404),
    httpx.Response(429, headers={"Retry-After": "5"}),
    httpx.Response(500),
    httpx.Response(403),
    httpx.Response(200, text="not json"),
    httpx.ReadTimeout("timed out"),
]


@pytest.fixture
def api(client) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_dict(client.get("/openapi.json").json())


@given(data=st.data())
def test_every_answer_is_documented(data, api, client, auth_headers, external_api):
    external_answer = data.draw(st.sampled_from(EXTERNAL_ANSWERS), label="external API")
    route = external_api.get(url__startswith=PROFILE_API_URL)
    route.side_effect = [external_answer]  # reset per example: an exception can only be raised, not returned
    mode = data.draw(st.sampled_from(list(GenerationMode)), label="mode")
    case = data.draw(api.as_strategy(mode), label="request")
    # Like most HTTP APIs, this one ignores query parameters it does not declare: a case whose
    # query adds one proves nothing about validation.
    assume(not set(case.query or {}) - declared_query(api, case))

    # Signed in, unless the case tries a made-up token of its own (which must be refused). A
    # negative case whose headers are the invalid part may be one that left the token out: the
    # test's own token would make it valid again, so such a case proves nothing here.
    own_token = any(name.lower() == "authorization" for name in case.headers or {})
    assume(own_token or case.meta is None or not case.meta.is_negative_at(ParameterLocation.HEADER))
    response = client.request(**_httpx_kwargs(case.as_transport_kwargs(headers=None if own_token else auth_headers)))

    # A 5xx passes only where the operation documents it (the profile API's 502/503/504);
    # the other checks fail any status, header or body the document does not describe.
    # Left out: "schema-valid data is accepted", as email addresses are checked more strictly
    # than `format: email` says (reserved domains such as example.test are refused); and "auth
    # is enforced", which takes the token this test adds for one the case made up. Where the
    # API has auth, tests/integration/api/test_auth.py sends every protected operation none.
    case.validate_response(response, excluded_checks=[not_a_server_error, positive_data_acceptance, ignored_auth])


def declared_query(api: schemathesis.BaseSchema, case: Any) -> set[str]:
    operation = api.raw_schema["paths"][case.path][case.method.lower()]
    return {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}


def _httpx_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """schemathesis prepares arguments for `requests`; the test client speaks httpx."""
    request = {key: kwargs[key] for key in ("method", "url", "params", "headers") if kwargs.get(key) is not None}
    for source, target in (("json", "json"), ("data", "content")):
        if source in kwargs:
            request[target] = kwargs[source]
    return request
