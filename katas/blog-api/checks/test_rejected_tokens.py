"""tokens.rejected: GET /users/me accepts a token the grader minted as the statement says, and
answers 401 to no token and to every token that is not one of ours."""

import jwt
from blog import bearer, mint, unsigned

from grader.kata_api import json_of, show


def test_a_token_minted_with_the_secret_is_accepted(api, candidate, alice):
    response = api.get("/users/me", headers=bearer(mint(candidate.secret, alice.id)))
    me = json_of(response, "GET /users/me with a valid token", status=200)
    assert isinstance(me, dict) and me.get("id") == alice.id, \
        f"GET /users/me answered another user than the token's: {show(response)}"


def test_tokens_that_are_not_ours_are_401(api, candidate, alice, bob):
    secret = candidate.secret
    good = mint(secret, alice.id)
    head, _, signature = good.split(".")
    forged_body = mint("x" * 32, bob.id).split(".")[1]  # bob's claims under alice's signature
    cases = {
        "no token": {},
        "a token that is not a JWT": bearer("not.a-jwt"),
        "the token without `Bearer`": {"Authorization": good},
        "a token signed with another key": bearer(mint(secret[::-1] + "other", alice.id)),
        "an expired token": bearer(mint(secret, alice.id, lifetime=-120)),
        "an `alg: none` token": bearer(unsigned(alice.id)),
        "a token whose claims were changed after signing": bearer(f"{head}.{forged_body}."
                                                                  f"{signature}"),
        "a token without sub": bearer(mint(secret)),
        "a token without exp": bearer(jwt.encode({"sub": str(alice.id)}, secret, "HS256")),
        "a token for a user who does not exist": bearer(mint(secret, 10**9 + alice.id)),
        "a token whose sub is no user id": bearer(mint(secret, "nobody")),
    }
    wrong = {what: show(response) for what, headers in cases.items()
             if (response := api.get("/users/me", headers=headers)).status_code != 401}
    assert not wrong, f"GET /users/me should answer 401, but with {', '.join(wrong)}: " \
        f"{next(iter(wrong.values()))}"
