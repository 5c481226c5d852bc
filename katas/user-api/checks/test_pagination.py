"""bonus.pagination: `limit` and `offset` cut the list the database would give in one piece, and
refuse values out of range."""

import pytest
from users import create, ids, listed, new_user

from grader.kata_api import show


def test_pages_put_together_are_the_whole_list(api, rng):
    for _ in range(5):
        create(api, new_user(rng))
    whole = ids(listed(api, limit=100))
    size = rng.randrange(2, 4)
    pages = [ids(listed(api, limit=size, offset=offset))
             for offset in range(0, len(whole) + size, size)]
    wrong = next((n for n, page in enumerate(pages) if page != whole[n * size:(n + 1) * size]),
                 None)
    assert wrong is None, f"GET /users?limit={size}&offset={wrong * size}: expected " \
        f"{whole[wrong * size:(wrong + 1) * size]}, got {pages[wrong]}"


def test_the_defaults_are_the_first_hundred(api):
    assert ids(listed(api)) == ids(listed(api, limit=100, offset=0))


def test_the_smallest_and_largest_pages_are_allowed(api):
    whole = ids(listed(api, limit=100))
    assert ids(listed(api, limit=1)) == whole[:1], "GET /users?limit=1: expected the first user"
    assert ids(listed(api, limit=1, offset=len(whole) - 1)) == whole[-1:], \
        "GET /users?limit=1&offset=<last>: expected the last user"


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1},
                                    {"limit": "many"}])
def test_out_of_range_is_422(api, params):
    response = api.get("/users", params=params)
    asked = "&".join(f"{key}={value}" for key, value in params.items())
    assert response.status_code == 422, f"GET /users?{asked}: expected 422, got {show(response)}"
