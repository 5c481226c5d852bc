"""fix.search_cache: GET /search keeps the CACHE_SIZE most recently used answers and no more, so
the app's memory stays bounded however many distinct searches it serves; a search among them is
answered without SQL, and every answer is the starter's."""

from __future__ import annotations

from itertools import islice

import pytest

from grader.kata_api import show

CACHE_SIZE = 32  # the statement's: the most recently used answers the cache keeps
WARM_UP = 2 * CACHE_SIZE  # distinct searches before memory is measured: the cache full, twice over
SEARCHES = 120  # the statement's: distinct searches between the two measures
BOUND_MB = 10  # the statement's: how much more memory they may take (unbounded: some 21 MB)


def _search(api, hidden, key: tuple[str, int], count: bool = True) -> int:
    """Ask one search; the SQL statements it ran (when counted)."""
    q, limit = key
    before = api.statements() if count else 0
    response = api.get("/search", params={"q": q, "limit": limit})
    ran = api.statements() - before if count else 0
    assert response.status_code == 200, show(response)
    assert response.json() == hidden.search(q, limit), (
        f"GET /search?q={q}&limit={limit} does not answer as the starter did (posts whose title "
        "or body contains q, ignoring case, by id, the first `limit`)")
    return ran


def test_memory_stays_bounded_over_many_distinct_searches(api, candidate, hidden,
                                                          fresh_searches):
    if candidate.app_memory() is None:
        pytest.skip("this machine does not tell a process's memory (no /proc)")
    # One at a time: threads serving searches at once would each keep a malloc arena of freed
    # answers, memory that a bounded cache does not hold but the measure would count.
    for key in islice(fresh_searches, WARM_UP):
        _search(api, hidden, key, count=False)
    before = candidate.app_memory()
    for key in islice(fresh_searches, SEARCHES):
        _search(api, hidden, key, count=False)
    after = candidate.app_memory()
    assert before is not None and after is not None, "the app stopped while it was measured"
    grown = (after.rss - before.rss) / (1 << 20)
    assert grown < BOUND_MB, (
        f"{SEARCHES} more distinct searches made the app hold {grown:.0f} MB more memory (at "
        f"most {BOUND_MB} MB): the search cache keeps every answer it ever gave")


def test_recent_searches_are_answered_from_the_cache(api, hidden, small_searches):
    keys = [next(small_searches) for _ in range(CACHE_SIZE + 1)]
    first, second, third, last = keys[0], keys[1], keys[2], keys[-1]
    ran = [_search(api, hidden, key) for key in keys[:-1]]
    assert all(ran), "a search never asked before ran no SQL statement"
    assert _search(api, hidden, first) == 0, (
        "a search repeated at once ran SQL again: it must be answered from the cache")
    assert _search(api, hidden, last) > 0
    assert _search(api, hidden, first) == 0, (
        f"a search used again among the latest {CACHE_SIZE} was dropped from the cache: the "
        "least recently used answer goes first, not the oldest stored")
    assert _search(api, hidden, third) == 0, (
        f"the cache dropped one of the {CACHE_SIZE} most recently used answers: it keeps "
        f"{CACHE_SIZE}")
    assert _search(api, hidden, second) > 0, (
        f"the cache kept the answer used least recently past {CACHE_SIZE} others: it keeps "
        f"{CACHE_SIZE}, no more")
