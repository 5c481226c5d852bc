"""must.edge_cases: updating to a taken email, deleting twice, unknown fields, emails that differ
only in case, and a partial update that leaves the rest alone."""

from users import create, listed, new_user, update

from grader.kata_api import json_of, show


def test_updating_to_a_taken_email_is_409_and_changes_nothing(api, rng):
    first, second = create(api, new_user(rng)), create(api, new_user(rng))
    response = update(api, second["id"], {"email": first["email"]})
    assert response.status_code == 409, f"PATCH to a taken email: expected 409, got " \
        f"{show(response)}"
    kept = json_of(api.get(f"/users/{second['id']}"), "GET /users/{id}", status=200)
    assert kept == second, f"a refused update changed the user: {kept}, was {second}"


def test_keeping_ones_own_email_is_no_conflict(api, rng):
    created = create(api, new_user(rng))
    response = update(api, created["id"], {"email": created["email"], "age": 1})
    assert response.status_code == 200, f"PATCH with the user's own email: expected 200, got " \
        f"{show(response)}"


def test_deleting_twice_is_404_the_second_time(api, rng):
    created = create(api, new_user(rng))
    api.delete(f"/users/{created['id']}")
    again = api.delete(f"/users/{created['id']}")
    assert again.status_code == 404, f"the second DELETE: expected 404, got {show(again)}"


def test_an_unknown_field_is_422(api, rng):
    before = len(listed(api))
    response = api.post("/users", json={**new_user(rng), "role": "admin"})
    assert response.status_code == 422, f"POST /users with a field `role`: expected 422, got " \
        f"{show(response)}"
    assert len(listed(api)) == before, "POST /users with an unknown field made a user"
    created = create(api, new_user(rng))
    changed = update(api, created["id"], {"is_admin": True})
    assert changed.status_code == 422, f"PATCH with a field `is_admin`: expected 422, got " \
        f"{show(changed)}"


def test_emails_differing_only_in_case_are_one_email(api, rng):
    user = new_user(rng)
    create(api, user)
    shouted = {**new_user(rng), "email": user["email"].upper()}
    response = api.post("/users", json=shouted)
    assert response.status_code == 409, f"POST /users with {shouted['email']} once " \
        f"{user['email']} exists: expected 409, got {show(response)}"


def test_a_partial_update_leaves_the_other_fields(api, rng):
    created = create(api, new_user(rng))
    name = new_user(rng)["name"] + " II"
    response = update(api, created["id"], {"name": name})
    assert response.status_code == 200, f"PATCH with a name only: expected 200, got " \
        f"{show(response)}"
    kept = json_of(api.get(f"/users/{created['id']}"), "GET /users/{id}", status=200)
    assert kept == {**created, "name": name}, f"PATCH with a name only left {kept}, " \
        f"expected the email and age as they were"
