"""Query budgets catch N+1 queries and accidental extra round trips."""


def test_reading_a_user_stays_within_two_queries(client, auth_headers, user, query_budget):
    with query_budget(2):
        response = client.get(f"/users/{user.id}", headers=auth_headers)

    assert response.status_code == 200


def test_a_page_of_users_costs_the_same_for_any_page_size(client, auth_headers, user_factory, query_budget):
    for _ in range(5):
        user_factory()

    with query_budget(3):
        response = client.get("/users", params={"size": 5}, headers=auth_headers)

    assert len(response.json()["items"]) == 5
