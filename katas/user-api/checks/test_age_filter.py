"""bonus.age_filter: `min_age` and `max_age`, inclusive, alone or together; users without an age
are not listed once either is given."""

from users import create, ids, listed, new_user


def _expected(users, low, high):
    return [u["id"] for u in users if u.get("age") is not None
            and (low is None or u["age"] >= low) and (high is None or u["age"] <= high)]


def test_an_age_range_lists_exactly_the_users_in_it(api, rng):
    low = rng.randrange(10, 60)
    high = low + rng.randrange(5, 30)
    for age in (low - 1, low, high, high + 1, (low + high) // 2):
        create(api, {**new_user(rng), "age": age})
    create(api, new_user(rng, age=False))
    whole = listed(api, limit=100)
    for params in ({"min_age": low, "max_age": high}, {"min_age": low}, {"max_age": high}):
        got = ids(listed(api, **params))
        want = _expected(whole, params.get("min_age"), params.get("max_age"))
        assert got == want, f"GET /users?{'&'.join(f'{k}={v}' for k, v in params.items())}: " \
            f"expected {want[:12]}, got {got[:12]}"
