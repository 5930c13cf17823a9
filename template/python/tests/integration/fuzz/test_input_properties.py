"""The validation layer against generated text: what the API accepts, it stores exactly as
sent, and what it cannot store it refuses with 422 (never a 500 from the database)."""

import json

from hypothesis import given
from hypothesis import strategies as st

# Any text, most of it with a character a SQL database or UTF-8 cannot take somewhere in it.
UNSTORABLE = st.sampled_from(["", "\x00", "\ud800", "\udfff"])
ANY_TEXT = st.builds("".join, st.tuples(st.text(max_size=60), UNSTORABLE, st.text(max_size=60)))


@given(full_name=ANY_TEXT)
def test_a_name_is_stored_as_sent_or_refused_with_422(full_name, client, auth_headers, user):
    body = json.dumps({"full_name": full_name})  # escapes lone surrogates, as JSON allows
    headers = {**auth_headers, "Content-Type": "application/json"}

    response = client.patch(f"/users/{user.id}", content=body, headers=headers)

    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.json()["detail"][0]["loc"] == ["body", "full_name"]
    else:
        assert client.get(f"/users/{user.id}", headers=auth_headers).json()["full_name"] == full_name
