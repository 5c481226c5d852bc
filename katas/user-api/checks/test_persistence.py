"""extra.persistence: what was created, changed and deleted is still so after the grader
restarts the app."""

from users import create, listed, new_user, update

from grader.kata_api import json_of


def test_the_users_survive_a_restart(api, rng, restarted):
    kept, changed, deleted = (create(api, new_user(rng)) for _ in range(3))
    changed = json_of(update(api, changed["id"], {"age": 7}), "PATCH /users/{id}", status=200)
    api.delete(f"/users/{deleted['id']}")
    before = listed(api, limit=100)
    restarted.restart_app()
    after = listed(api, limit=100)
    assert after == before, f"after a restart GET /users lists {len(after)} users, " \
        f"{len(before)} before: the data lives in memory only"
    for user in (kept, changed):
        got = json_of(api.get(f"/users/{user['id']}"), "GET /users/{id} after a restart",
                      status=200)
        assert got == user, f"after a restart user {user['id']} is {got}, was {user}"
    assert api.get(f"/users/{deleted['id']}").status_code == 404, "a deleted user came back"
