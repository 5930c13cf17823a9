import pytest

from tests.conftest import ALLOWED_ORIGIN


def test_an_allowed_origin_is_echoed(client):
    response = client.get("/health", headers={"Origin": ALLOWED_ORIGIN})

    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_another_origin_gets_no_cors_headers(client):
    response = client.get("/health", headers={"Origin": "https://evil.example.com"})

    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
def test_a_preflight_allows_every_method_the_api_serves(client, method):
    response = client.options(
        "/users",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert method in response.headers["access-control-allow-methods"].split(", ")
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


def test_a_preflight_for_a_method_the_api_does_not_serve_is_refused(client):
    response = client.options("/users", headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "PUT"})

    assert response.status_code == 400


def test_scripts_may_read_retry_after(client):
    # Without this, a browser hides the header from the page's code on a 429.
    response = client.get("/health", headers={"Origin": ALLOWED_ORIGIN})

    assert response.headers["access-control-expose-headers"].lower() == "retry-after"


def test_a_preflight_from_another_origin_is_refused(client):
    response = client.options(
        "/users", headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"}
    )

    assert response.status_code == 400
