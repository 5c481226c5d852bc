"""must.status_codes: 201 on create, 204 and no body on delete, 404 for an unknown id, 409 for a
taken email."""

from users import create, new_user, update

from grader.kata_api import show

UNKNOWN = 987_654_321


def test_create_answers_201(api, rng):
    response = api.post("/users", json=new_user(rng))
    assert response.status_code == 201, f"POST /users: expected 201, got {show(response)}"


def test_delete_answers_204_with_no_body(api, rng):
    created = create(api, new_user(rng))
    response = api.delete(f"/users/{created['id']}")
    assert response.status_code == 204, f"DELETE /users/{{id}}: expected 204, got {show(response)}"
    assert response.content == b"", f"DELETE /users/{{id}}: 204 with a body: {show(response)}"


def test_an_unknown_id_is_404(api, rng):
    got = api.get(f"/users/{UNKNOWN}")
    assert got.status_code == 404, f"GET /users/{UNKNOWN}: expected 404, got {show(got)}"
    changed = update(api, UNKNOWN, {"name": new_user(rng)["name"]})
    assert changed.status_code == 404, f"PATCH /users/{UNKNOWN}: expected 404, got {show(changed)}"


def test_a_taken_email_is_409(api, rng):
    user = new_user(rng)
    create(api, user)
    again = api.post("/users", json={**new_user(rng), "email": user["email"]})
    assert again.status_code == 409, f"POST /users with a taken email: expected 409, got " \
        f"{show(again)}"
