"""The app as `create_app` wires it keeps its Redis keys under its prefix: a Redis shared
with other apps (or other test workers) never sees a key of another."""

from fastapi.testclient import TestClient


def test_the_wired_app_keeps_its_keys_under_its_prefix(wired_app, settings, redis_client):
    with TestClient(wired_app) as client:
        wired_app.state.resources.cache.set("probe", {"ok": True}, ttl_seconds=60)
        refused = client.post("/users", json={})  # counted by the rate limiter, then refused as invalid

    prefix = settings.redis_key_prefix
    assert refused.status_code == 422
    assert redis_client.exists(f"{prefix}cache:probe", f"{prefix}ratelimit:testclient") == 2
