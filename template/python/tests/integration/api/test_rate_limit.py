from fastapi.testclient import TestClient


def test_the_request_over_the_limit_gets_429_with_retry_after(client, auth_headers, limit_requests):
    limit_requests(limit=3, window_seconds=60)

    statuses = [client.get("/users", headers=auth_headers).status_code for _ in range(3)]
    refused = client.get("/users", headers=auth_headers)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json() == {"detail": "Too many requests: try again later."}


def test_routes_outside_the_limited_api_stay_open(client, limit_requests):
    limit_requests(limit=1)

    assert [client.get("/health").status_code for _ in range(3)] == [200, 200, 200]


def test_each_client_address_is_limited_on_its_own(app, client, auth_headers, limit_requests):
    limit_requests(limit=1)
    # Another caller, from another address (the app's start-up is already done by `client`).
    neighbour = TestClient(app, client=("198.51.100.7", 40000))

    assert client.get("/users", headers=auth_headers).status_code == 200
    assert client.get("/users", headers=auth_headers).status_code == 429
    assert neighbour.get("/users", headers=auth_headers).status_code == 200
