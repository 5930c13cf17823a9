def test_signing_up_announces_the_new_user(client, resources):
    created = client.post("/users", json={"email": "new@example.com", "full_name": "New", "password": "long-enough"})

    assert created.status_code == 201
    assert resources.events.published == [("user.created", {"id": created.json()["id"], "email": "new@example.com"})]
