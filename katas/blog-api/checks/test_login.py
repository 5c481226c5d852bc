"""tokens.login: the OAuth2 password form gives a bearer JWT, HS256 with SECRET_KEY, whose `sub`
is the user's id and whose `exp` is ACCESS_TOKEN_EXPIRE_MINUTES away; /users/me accepts it."""

import random
import time

import jwt
import pytest
from blog import bearer, new_account, register

from grader.kata_api import json_of, show

LIFETIME = 17 * 60  # ACCESS_TOKEN_EXPIRE_MINUTES in the layout's environment
SLACK = 60  # seconds between the app's clock at issue and this check's


@pytest.fixture(scope="module")
def account(api, seed):
    """One account for these checks: each registration hashes a password, which takes time."""
    return register(api, new_account(random.Random(f"{seed}:login")))


def _login(api, form: dict[str, str]) -> str:
    response = api.post("/auth/token", data=form)
    body = json_of(response, "POST /auth/token with the right password", status=200)
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        pytest.fail(f"POST /auth/token: expected {{access_token, token_type}}, got "
                    f"{show(response)}", pytrace=False)
    assert str(body.get("token_type", "")).lower() == "bearer", \
        f"POST /auth/token: token_type should be bearer, got {show(response)}"
    return body["access_token"]


def test_the_login_issues_a_jwt_for_the_user(api, candidate, account):
    issued = time.time()
    token = _login(api, account.form())
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, candidate.secret, algorithms=["HS256"])
    except jwt.InvalidTokenError as error:
        pytest.fail(f"the access token is not an HS256 JWT signed with SECRET_KEY: {error}",
                    pytrace=False)
    assert header.get("alg") == "HS256", f"the token's algorithm is {header.get('alg')}"
    assert claims.get("sub") == str(account.id), \
        f"the token's sub is {claims.get('sub')!r}, not the user's id {str(account.id)!r}"
    lifetime = claims.get("exp", 0) - issued
    assert LIFETIME - SLACK <= lifetime <= LIFETIME + SLACK, \
        f"the token expires {lifetime:.0f} s after issue, not ACCESS_TOKEN_EXPIRE_MINUTES (17 min)"


def test_users_me_answers_the_tokens_user(api, account):
    response = api.get("/users/me", headers=bearer(_login(api, account.form())))
    me = json_of(response, "GET /users/me with the login's token", status=200)
    assert isinstance(me, dict) and (me.get("id"), me.get("username"), me.get("email")) == \
        (account.id, account.username, account.email), \
        f"GET /users/me answered another user: {show(response)}"


def test_a_wrong_password_gets_no_token(api, account):
    response = api.post("/auth/token", data=account.form(account.password + "!"))
    assert response.status_code == 401, \
        f"POST /auth/token with a wrong password: expected 401, got {show(response)}"
