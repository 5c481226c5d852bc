"""extra.auth: with API_TOKEN set, writes need `Authorization: Bearer <token>` (401 without it
or with another), and reading stays open."""

import pytest
from users import create, new_user

from grader.kata_api import json_of, show


@pytest.fixture
def token(restarted) -> str:
    restarted.restart_app({"API_TOKEN": restarted.secret})
    return restarted.secret


def test_writes_need_the_token(api, rng, token):
    bearer = {"Authorization": f"Bearer {token}"}
    for headers, what in (({}, "no token"), ({"Authorization": "Bearer wrong" + token[:8]},
                                             "another token"),
                          ({"Authorization": token}, "the token without Bearer")):
        response = api.post("/users", json=new_user(rng), headers=headers)
        assert response.status_code == 401, f"POST /users with {what}: expected 401, got " \
            f"{show(response)}"
    created = api.post("/users", json=new_user(rng), headers=bearer)
    assert created.is_success, f"POST /users with the token: expected 201, got {show(created)}"
    user = json_of(created, "POST /users")
    for method in ("PATCH", "DELETE"):
        body = {"json": {"age": 3}} if method == "PATCH" else {}
        response = api.request(method, f"/users/{user['id']}", **body)
        if method == "PATCH" and response.status_code == 405:
            response = api.put(f"/users/{user['id']}", json={"age": 3})
        assert response.status_code == 401, f"{method} /users/{{id}} without the token: " \
            f"expected 401, got {show(response)}"
    assert api.get(f"/users/{user['id']}").status_code == 200, "GET needs no token"
    deleted = api.delete(f"/users/{user['id']}", headers=bearer)
    assert deleted.is_success, f"DELETE /users/{{id}} with the token: expected 204, got " \
        f"{show(deleted)}"


def test_without_the_setting_no_token_is_needed(api, rng):
    create(api, new_user(rng))
