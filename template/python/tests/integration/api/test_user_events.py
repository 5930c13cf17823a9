def test_signing_up_announces_the_new_user(client, resources):
    created = client.post("/users", json={"email": "new@example.com", "full_name": "New", "password": "long-enough"})

    assert created.status_code == 201
    assert resources.events.published == [("user.created", {"id": created.json()["id"], "email": "new@example.com"})]


def test_a_profile_webhook_is_announced_once_however_often_it_is_delivered(client, resources):
    from tests.integration.api.test_webhooks import signed_delivery

    for _ in range(2):
        assert client.post("/webhooks/profile-events", **signed_delivery("evt_once")).status_code == 200

    announced = [("profile.updated", {"email": "ada@example.com", "delivery_id": "evt_once"})]
    assert resources.events.published == announced
