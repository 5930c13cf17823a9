from tests.conftest import ALLOWED_ORIGIN


def test_an_allowed_origin_is_echoed(client):
    response = client.get("/health", headers={"Origin": ALLOWED_ORIGIN})

    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_another_origin_gets_no_cors_headers(client):
    response = client.get("/health", headers={"Origin": "https://evil.example.com"})

    assert "access-control-allow-origin" not in response.headers


def test_a_preflight_lists_what_the_browser_may_send(client):
    response = client.options(
        "/users",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


def test_a_preflight_from_another_origin_is_refused(client):
    response = client.options(
        "/users", headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"}
    )

    assert response.status_code == 400
