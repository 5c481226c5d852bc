"""extra.persistence: what was created, then changed, then deleted is still so after each
restart of the app by the grader."""

from users import create, listed, new_user, update

from grader.kata_api import json_of


def _after_restart(api, restarted, user_id: int):
    """The user as the restarted app gives it (None when it answers 404)."""
    before = listed(api, limit=100)
    restarted.restart_app()
    after = listed(api, limit=100)
    assert after == before, f"after a restart GET /users lists {len(after)} users, " \
        f"{len(before)} before: the data lives in memory only"
    response = api.get(f"/users/{user_id}")
    return None if response.status_code == 404 else json_of(
        response, "GET /users/{id} after a restart", status=200)


def test_each_change_survives_a_restart(api, rng, restarted):
    created = create(api, new_user(rng))
    assert _after_restart(api, restarted, created["id"]) == created, "a created user was lost"
    changed = json_of(update(api, created["id"], {"age": 7, "name": "Renamed"}),
                      "PATCH /users/{id}", status=200)
    assert _after_restart(api, restarted, created["id"]) == changed, "an update was lost"
    api.delete(f"/users/{created['id']}")
    assert _after_restart(api, restarted, created["id"]) is None, "a deleted user came back"
