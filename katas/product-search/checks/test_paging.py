"""paging.envelope: the answer's `items` is the asked page of the app's own list, and `total`,
`page`, `page_size`, `pages`, `has_next` and `has_prev` describe it; out-of-range pages 422.

Pages are compared with the app's own full list in the same order (page_size=100), not with
the statement's order: which rows the list holds and their order are the filter and sorting
items', so one such bug costs that item only.
"""

from __future__ import annotations

import math
import random

from search_helpers import EVERY, FIELDS, asked, every_id, ids, listing, status_of


def _describes(body: dict, page: int, size: int, total: int, params: dict) -> None:
    pages = math.ceil(total / size)
    want = {"total": total, "page": page, "page_size": size, "pages": pages,
            "has_next": page < pages, "has_prev": page > 1}
    got = {key: body.get(key) for key in want}
    assert got == want, f"{asked(params)}: expected {want}, got {got}"


def test_the_answer_has_every_field(api):
    body = listing(api, page_size=5)
    missing = [field for field in FIELDS if field not in body]
    assert not missing, f"GET /products?page_size=5: no {', '.join(missing)} in the answer"


def test_pages_are_stretches_of_one_list(api, shop, seed):
    full = every_id(api)
    size = random.Random(seed).randint(6, 11)
    pages = math.ceil(len(shop.products) / size)
    for page in (1, 2, pages):
        params = {"page": page, "page_size": size}
        body = listing(api, **params)
        want = full[(page - 1) * size:page * size]
        assert ids(body) == want, f"{asked(params)}: expected ids {want}, got {ids(body)}"
        _describes(body, page, size, len(shop.products), params)


def test_past_the_last_page_is_empty(api, shop):
    params = {"page": len(shop.products) // 10 + 2, "page_size": 10}
    body = listing(api, **params)
    assert ids(body) == [], f"{asked(params)}: expected no items past the end, got {ids(body)}"
    _describes(body, params["page"], 10, len(shop.products), params)


def test_total_counts_the_filtered_rows(api, shop):
    for params in ({"category": "kitchen", "page_size": 3}, {"q": "zzqq", "page_size": 4},
                   {"in_stock": "false", "page_size": 2, "page": 2}):
        body = listing(api, **params)
        matches = len(every_id(api, **{k: v for k, v in params.items()
                                      if k not in ("page", "page_size")}))
        _describes(body, params.get("page", 1), params["page_size"], matches, params)


def test_defaults_are_page_one_of_twenty(api, shop):
    body = listing(api)
    _describes(body, 1, 20, len(shop.products), {})
    assert ids(body) == every_id(api)[:20], "GET /products: not the first 20 of the list"


def test_a_page_of_one(api, shop):
    body = listing(api, page=3, page_size=1)
    assert ids(body) == every_id(api)[2:3], "page=3&page_size=1: not the third product"
    _describes(body, 3, 1, len(shop.products), {"page": 3, "page_size": 1})


def test_out_of_range_pages_are_422(api):
    listing(api, page_size=EVERY)
    for params in ({"page": 0}, {"page_size": 0}, {"page_size": EVERY + 1}, {"page": -2}):
        status, answer = status_of(api, **params)
        assert status == 422, f"{asked(params)}: expected 422, got {answer}"
