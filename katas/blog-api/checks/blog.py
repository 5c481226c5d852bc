"""Helpers of the blog-api checks: accounts, tokens the grader mints, and posts made through the
API. Tokens follow the statement: HS256 with SECRET_KEY, `sub` the user's id as a string."""

from __future__ import annotations

import base64
import json
import random
import time
from dataclasses import dataclass, replace
from typing import Any

import httpx
import jwt
import pytest

from grader.kata_api import json_of, listed_json, show

ALGORITHM = "HS256"
NAMES = ["ada", "grace", "alan", "edsger", "barbara", "donald", "frances", "ken", "radia",
         "tim", "margaret", "john", "leslie", "niklaus", "hedy", "dennis"]
DOMAINS = ["mail.acme.io", "post.example.org", "users.kata.dev"]
WORDS = ["garden", "kettle", "river", "lantern", "harbour", "meadow", "copper", "willow",
         "orchard", "falcon", "granite", "ember", "thistle", "compass", "saffron", "quarry"]


@dataclass(frozen=True)
class Account:
    email: str
    username: str
    password: str
    id: int | None = None
    token: str = ""

    def form(self, password: str | None = None) -> dict[str, str]:
        """The login form of this account (with another password when given)."""
        return {"username": self.username, "password": self.password if password is None
                else password}

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def new_account(rng: random.Random, password: str | None = None) -> Account:
    """A valid account no other check makes: the number in its names is drawn per check."""
    name, number = rng.choice(NAMES), rng.randrange(10**9)
    return Account(email=f"{name}.{number}@{rng.choice(DOMAINS)}", username=f"{name}_{number}",
                   password=password or f"{rng.choice(WORDS)}-{rng.randrange(10**8)}-"
                                        f"{rng.choice(WORDS)}")


def register(api: httpx.Client, account: Account) -> Account:
    """POST /auth/register that must succeed: the account with the id the app gave it."""
    response = api.post("/auth/register", json={"email": account.email,
                                                "username": account.username,
                                                "password": account.password})
    if not response.is_success:
        pytest.fail(f"POST /auth/register with a valid account: expected 201, got "
                    f"{show(response)}", pytrace=False)
    body = json_of(response, "POST /auth/register")
    if not isinstance(body, dict) or not isinstance(body.get("id"), int):
        pytest.fail(f"POST /auth/register: expected the user with its id, got {show(response)}",
                    pytrace=False)
    return replace(account, id=body["id"])


def mint(secret: str, sub: Any = None, *, lifetime: float = 600, **claims: Any) -> str:
    """A token as the app should issue it, signed with `secret`; `lifetime` seconds from now
    (negative: already expired)."""
    payload = {"exp": int(time.time() + lifetime), **claims}
    if sub is not None:
        payload["sub"] = str(sub)
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def unsigned(sub: Any) -> str:
    """A token that names no algorithm (`alg: none`) and carries no signature."""
    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'sub': str(sub), 'exp': 4102444800})}."


def with_token(account: Account, secret: str) -> Account:
    return replace(account, token=mint(secret, account.id))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_post(rng: random.Random, **fields: Any) -> dict[str, Any]:
    words = rng.sample(WORDS, 5)
    post = {"title": f"{words[0].title()} and {words[1]}",
            "content": f"On {words[2]}, {words[3]} and {words[4]}.",
            "published": rng.random() < 0.5}
    return {**post, **fields}


def create_post(api: httpx.Client, account: Account, post: dict[str, Any]) -> dict[str, Any]:
    """POST /posts as `account` that must succeed: the post the app answered with."""
    response = api.post("/posts", json=post, headers=account.headers)
    if not response.is_success:
        pytest.fail(f"POST /posts with a valid post and token: expected 201, got "
                    f"{show(response)}", pytrace=False)
    body = json_of(response, "POST /posts")
    if not isinstance(body, dict) or "id" not in body:
        pytest.fail(f"POST /posts: expected the post with its id, got {show(response)}",
                    pytrace=False)
    return body


def listed(api: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """GET /posts with these query parameters: the list it answered, or the check fails."""
    return listed_json(api, "/posts", "posts", **params)


def ids(posts: list[dict[str, Any]]) -> list[Any]:
    return [post.get("id") for post in posts]
