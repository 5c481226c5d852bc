"""debug.edge_cases: empty inputs and odd arguments give the spec's answer, never an error.

Each check also asks for one ordinary answer, so code that returns the edge-case value for
everything earns nothing here. That control asks only that an answer exists, not that it is
right: a wrong ordinary answer is the other items' to judge, so one bug costs one item.
"""

from __future__ import annotations

import random


def _users(seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": n, "email": f"e{rng.randint(10**5, 10**6)}x{n}@mail.test"} for n in range(5)]


def _ok(result):
    if isinstance(result, Exception):
        raise AssertionError(f"raised {result}")
    return result


def test_find_user_in_an_empty_list(tasks, seed):
    users = _users(seed)
    empty = tasks.call("find_user_by_email", [], users[0]["email"])
    found = tasks.call("find_user_by_email", users, users[0]["email"])
    assert empty is None, f"an empty list: expected None, got {empty!r}"
    assert found is not None, f"a known email in a list of users: expected a user, got {found!r}"


def test_find_user_with_an_empty_email(tasks, seed):
    users = _users(seed + 1) + [{"id": 99, "email": ""}]
    empty = tasks.call("find_user_by_email", users, "")
    found = tasks.call("find_user_by_email", users, users[1]["email"])
    assert empty is None, f"an empty email: expected None, got {empty!r}"
    assert found is not None, f"a known email: expected a user, got {found!r}"


def test_find_user_skips_users_without_an_email(tasks, seed):
    users = _users(seed + 2)
    mixed = [{"id": 70, "name": "no email"}, users[0], {"id": 71}, users[1]]
    found = _ok(tasks.call("find_user_by_email", mixed, users[1]["email"]))
    assert found is not None, (
        f"users without 'email' must be skipped, not end the search: got {found!r}")


def test_recent_actions_with_n_zero_or_negative(tasks):
    steps = [("add_action", ("login",)), ("add_action", ("view",)),
             ("get_recent_actions", (0,)), ("get_recent_actions", (-2,)),
             ("get_recent_actions", (1,))]
    results = [_ok(r) for r in tasks.run(steps, new="UserActionHistory")[2:]]
    assert results[:2] == [[], []], f"n=0 and n=-2: expected [] and [], got {results[:2]!r}"
    assert results[2], "n=1 after two actions: expected an action, got []"


def test_recent_actions_when_fewer_exist(tasks):
    steps = [("add_action", ("a",)), ("add_action", ("b",)), ("get_recent_actions", (10,))]
    (recent,) = [_ok(r) for r in tasks.run(steps, new="UserActionHistory")[2:]]
    assert recent == ["a", "b"], f"expected ['a', 'b'], got {recent!r}"


def test_empty_history(tasks):
    steps = [("get_recent_actions", ()), ("get_top_actions", ()), ("add_action", ("x",)),
             ("get_top_actions", ())]
    recent, top, _, after = [_ok(r) for r in tasks.run(steps, new="UserActionHistory")]
    assert recent == [] and top == [], f"empty history: expected [] and [], got {recent!r}, {top!r}"
    assert after, "after one action: expected a top action, got []"


def test_top_actions_with_n_zero_or_negative(tasks):
    # Three distinct actions: a slice [:-1] would still leave two, so it cannot pass for [].
    actions = ["a", "b", "a", "c"]
    steps = [("add_action", (a,)) for a in actions] + [
        ("get_top_actions", (0,)), ("get_top_actions", (-1,)), ("get_top_actions", (1,))]
    zero, negative, one = [_ok(r) for r in tasks.run(steps, new="UserActionHistory")[len(actions):]]
    assert zero == [] and negative == [], f"n <= 0: expected [], got {zero!r} and {negative!r}"
    assert one, "n=1: expected a top action, got []"
