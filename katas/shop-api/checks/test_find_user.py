"""debug.find_user: find_user_by_email returns the first user whose "email" equals the address."""

from __future__ import annotations

import random


def _users(seed: int, count: int = 6) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": rng.randint(1, 10**6), "email": f"p{rng.randint(10**5, 10**6)}@mail.test",
             "name": f"Person {n}"} for n in range(count)]


def test_finds_a_user_in_the_middle(tasks, seed):
    users = _users(seed)
    target = users[3]
    got = tasks.call("find_user_by_email", users, target["email"])
    assert got == target, f"expected {target}, got {got!r}"


def test_finds_the_first_and_the_last_user(tasks, seed):
    users = _users(seed + 1)
    for target in (users[0], users[-1]):
        got = tasks.call("find_user_by_email", users, target["email"])
        assert got == target, f"looking up {target['email']}: expected {target}, got {got!r}"


def test_returns_the_first_of_two_users_with_the_same_email(tasks, seed):
    users = _users(seed + 2)
    twin = {**users[1], "id": -1, "name": "Twin"}
    users.append(twin)
    got = tasks.call("find_user_by_email", users, twin["email"])
    assert got == users[1], f"expected the first match {users[1]}, got {got!r}"


def test_unknown_email_gives_none_and_known_still_found(tasks, seed):
    users = _users(seed + 3)
    missing = tasks.call("find_user_by_email", users, "nobody@mail.test")
    found = tasks.call("find_user_by_email", users, users[2]["email"])
    assert found == users[2], f"expected {users[2]}, got {found!r}"
    assert missing is None, f"an unknown email: expected None, got {missing!r}"


def test_match_is_exact(tasks, seed):
    users = _users(seed + 4)
    email = users[4]["email"]
    found = tasks.call("find_user_by_email", users, email)
    partial = tasks.call("find_user_by_email", users, email.split("@")[0])
    assert found == users[4], f"expected {users[4]}, got {found!r}"
    assert partial is None, f"part of an address must not match: got {partial!r}"
