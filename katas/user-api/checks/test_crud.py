"""must.crud: users are created, read, listed, updated and deleted, and each change is kept."""

from users import create, ids, listed, new_user, same_user, update

from grader.kata_api import json_of, show


def test_a_created_user_reads_back(api, rng):
    user = new_user(rng)
    created = create(api, user)
    assert same_user(created, user), f"POST /users answered {created}, sent {user}"
    got = json_of(api.get(f"/users/{created['id']}"), "GET /users/{id}", status=200)
    assert got == created, f"GET /users/{created['id']}: {got}, but POST answered {created}"


def test_the_list_holds_every_created_user_by_id(api, rng):
    made = [create(api, new_user(rng)) for _ in range(3)]
    users = listed(api)
    found = {user.get("id"): user for user in users}
    missing = [user for user in made if found.get(user["id"]) != user]
    assert not missing, f"GET /users lacks or changed {missing[0]}"
    assert ids(users) == sorted(ids(users)), f"GET /users is not by id: {ids(users)[:12]}"


def test_an_update_changes_what_it_names_and_is_kept(api, rng):
    created = create(api, new_user(rng))
    changes = {"name": new_user(rng)["name"] + " Jr", "age": rng.randrange(0, 151)}
    response = update(api, created["id"], changes)
    assert response.status_code == 200, f"PATCH /users/{{id}}: expected 200, got {show(response)}"
    want = {**created, **changes}
    answered = json_of(response, "PATCH /users/{id}")
    assert answered == want, f"PATCH /users/{{id}} answered {answered}, expected {want}"
    kept = json_of(api.get(f"/users/{created['id']}"), "GET /users/{id}", status=200)
    assert kept == want, f"after the update, GET /users/{{id}} gives {kept}, expected {want}"


def test_a_deleted_user_is_gone(api, rng):
    created = create(api, new_user(rng))
    response = api.delete(f"/users/{created['id']}")
    assert response.is_success, f"DELETE /users/{{id}}: expected 204, got {show(response)}"
    after = api.get(f"/users/{created['id']}")
    assert after.status_code == 404, f"GET after DELETE: expected 404, got {show(after)}"
    assert created["id"] not in ids(listed(api)), "GET /users still lists a deleted user"
