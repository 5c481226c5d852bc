"""debug.history: UserActionHistory records actions, lists recent ones, ranks the top ones.

The actions are drawn from the run's seed. Where counts tie, the names first come in reverse
order, so a ranking that keeps first-come order among equal counts cannot pass for one by name.
"""

from __future__ import annotations

import random
from collections import Counter

ACTIONS = ["login", "logout", "view", "buy", "search", "share", "rate", "wish"]


def _actions(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(ACTIONS) for _ in range(count)]


def _history(tasks, actions: list[str], *queries: tuple[str, tuple]) -> list:
    steps = [("add_action", (a,)) for a in actions] + list(queries)
    results = tasks.run(steps, new="UserActionHistory")
    for result in results:
        if isinstance(result, Exception):
            raise AssertionError(f"UserActionHistory raised {result}")
    return results[len(actions):]


def _top(actions: list[str], n: int) -> list[tuple[str, int]]:
    return sorted(Counter(actions).items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def test_the_spec_example(tasks):
    actions = ["login", "login", "view", "login", "view", "buy"]
    (top,) = _history(tasks, actions, ("get_top_actions", (2,)))
    assert [tuple(t) for t in top] == [("login", 3), ("view", 2)], (
        f"expected [('login', 3), ('view', 2)], got {top!r}")


def test_recent_actions_are_the_last_n_in_order(tasks, seed):
    actions = _actions(seed, 17)
    (recent,) = _history(tasks, actions, ("get_recent_actions", (5,)))
    assert recent == actions[-5:], f"expected {actions[-5:]}, got {recent!r}"


def test_recent_actions_default_to_ten(tasks, seed):
    actions = _actions(seed + 1, 23)
    (recent,) = _history(tasks, actions, ("get_recent_actions", ()))
    assert recent == actions[-10:], f"expected the last 10 {actions[-10:]}, got {recent!r}"


def test_top_actions_by_count(tasks, seed):
    actions = _actions(seed + 2, 40)
    (top,) = _history(tasks, actions, ("get_top_actions", (4,)))
    assert [tuple(t) for t in top] == _top(actions, 4), f"expected {_top(actions, 4)}, got {top!r}"


def test_top_actions_default_to_three(tasks, seed):
    actions = _actions(seed + 3, 30)
    (top,) = _history(tasks, actions, ("get_top_actions", ()))
    assert [tuple(t) for t in top] == _top(actions, 3), f"expected {_top(actions, 3)}, got {top!r}"


def test_top_action_ties_are_broken_by_name(tasks, seed):
    names = random.Random(seed).sample(ACTIONS, 4)
    tied = sorted(names[1:], reverse=True)
    # The tied names first come in reverse order of name: a sort by count alone (stable, so
    # first come first) lists them backwards.
    rest = [names[0]] * 3 + tied
    random.Random(seed + 4).shuffle(rest)
    actions = tied + rest
    (top,) = _history(tasks, actions, ("get_top_actions", (4,)))
    assert [tuple(t) for t in top] == _top(actions, 4), (
        f"equal counts go by name: expected {_top(actions, 4)}, got {top!r}")


def test_history_keeps_growing_between_queries(tasks, seed):
    first, second = _actions(seed + 5, 4), _actions(seed + 6, 3)
    steps = [("add_action", (a,)) for a in first] + [("get_recent_actions", (len(first),))]
    steps += [("add_action", (a,)) for a in second]
    steps += [("get_recent_actions", (len(first) + len(second),))]
    results = tasks.run(steps, new="UserActionHistory")
    before, after = results[len(first)], results[-1]
    assert before == first and after == first + second, (
        f"expected {first} then {first + second}, got {before!r} then {after!r}")
