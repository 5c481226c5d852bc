"""accounts.register: 201 with the user and nothing of the password, 409 for a taken email or
username (and no second user), 422 for an invalid body."""

from dataclasses import replace

from blog import new_account, register

from grader.kata_api import json_of, show


def _users_named(db, account) -> int:
    rows = db.query("SELECT COUNT(*) AS n FROM users WHERE email = :email OR username = :name",
                    {"email": account.email, "name": account.username})
    return rows[0]["n"]


def test_registration_answers_the_user_without_the_password(api, rng):
    account = new_account(rng)
    response = api.post("/auth/register", json={"email": account.email,
                                                "username": account.username,
                                                "password": account.password})
    user = json_of(response, "POST /auth/register", status=201)
    assert isinstance(user, dict) and isinstance(user.get("id"), int), \
        f"POST /auth/register: expected the user with its id, got {show(response)}"
    assert (user.get("email"), user.get("username")) == (account.email, account.username), \
        f"POST /auth/register answered another user: {show(response)}"
    leaked = [key for key in user if "password" in key.lower() or "hash" in key.lower()]
    assert not leaked and account.password not in response.text, \
        f"the answer to POST /auth/register shows the password or its hash ({leaked})"


def test_a_taken_email_or_username_is_409(api, db, rng):
    account = register(api, new_account(rng))
    other = new_account(rng)
    for clash, what in ((replace(other, email=account.email), "email"),
                        (replace(other, username=account.username), "username")):
        response = api.post("/auth/register", json={"email": clash.email,
                                                    "username": clash.username,
                                                    "password": clash.password})
        assert response.status_code == 409, \
            f"POST /auth/register with a taken {what}: expected 409, got {show(response)}"
        assert _users_named(db, clash) == 1, f"a second user was stored with a taken {what}"


def test_an_invalid_body_is_422(api, db, rng):
    account = new_account(rng)
    valid = {"email": account.email, "username": account.username, "password": account.password}
    for change, what in (({"email": "not-an-email"}, "an invalid email"),
                         ({"username": "ab"}, "a username of 2 characters"),
                         ({"password": "short"}, "a password of 5 characters"),
                         ({"password": None}, "no password")):
        body = {key: value for key, value in {**valid, **change}.items() if value is not None}
        response = api.post("/auth/register", json=body)
        assert response.status_code == 422, \
            f"POST /auth/register with {what}: expected 422, got {show(response)}"
    assert _users_named(db, account) == 0, "an invalid registration stored a user"
