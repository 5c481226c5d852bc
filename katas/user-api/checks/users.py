"""Helpers of the user-api checks: make users through the API and read its answers."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from grader.kata_api import json_of, listed_json, show

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia",
         "Tim", "Margaret", "John", "Leslie", "Niklaus", "Hedy", "Dennis"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
        "Perlman", "Lee", "Hamilton", "Backus", "Lamport", "Wirth", "Lamarr", "Ritchie"]
DOMAINS = ["mail.acme.io", "post.example.org", "users.kata.dev"]


def new_user(rng: random.Random, *, age: bool = True) -> dict[str, Any]:
    """A valid user no other check makes: the number in the address is drawn per check."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    user: dict[str, Any] = {"name": f"{first} {last}",
                            "email": f"{first}.{last}.{rng.randrange(10**9)}@"
                                     f"{rng.choice(DOMAINS)}".lower()}
    if age:
        user["age"] = rng.randrange(0, 151)
    return user


def create(api: httpx.Client, user: dict[str, Any]) -> dict[str, Any]:
    """POST /users that must succeed (any 2xx): the user the app answered with."""
    response = api.post("/users", json=user)
    if not response.is_success:
        pytest.fail(f"POST /users with a valid user: expected 201, got {show(response)}",
                    pytrace=False)
    body = json_of(response, "POST /users")
    if not isinstance(body, dict) or "id" not in body:
        pytest.fail(f"POST /users: expected the user with its id, got {show(response)}",
                    pytrace=False)
    return body


def update(api: httpx.Client, user_id: Any, changes: dict[str, Any]) -> httpx.Response:
    """PATCH, or PUT where the app has no PATCH: the statement allows either, both partial."""
    response = api.patch(f"/users/{user_id}", json=changes)
    if response.status_code == 405:
        response = api.put(f"/users/{user_id}", json=changes)
    return response


def listed(api: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """GET /users with these query parameters: the list it answered, or the check fails."""
    return listed_json(api, "/users", "users", **params)


def same_user(got: Any, want: dict[str, Any]) -> bool:
    """The user as the app answered it, against what was sent: emails compare ignoring case."""
    return (isinstance(got, dict) and got.get("name") == want["name"]
            and str(got.get("email", "")).casefold() == want["email"].casefold()
            and got.get("age") == want.get("age"))


def ids(users: list[dict[str, Any]]) -> list[Any]:
    return [user.get("id") for user in users]
