"""backend.pagination: offset and limit select the page; out-of-range values answer 422.

Equal prices come by id, or in any order where the layout's statement asks no more (the
`price_ties` fixture); either way the pages are one list in price order: none overlaps or skips."""

from __future__ import annotations

import random

from shop_helpers import ids, page_miss, product_list, require_products_work, show


def test_offset_and_limit_select_a_slice(api, shop, seed, price_ties):
    rng = random.Random(seed)
    for _ in range(3):
        offset, limit = rng.randint(1, 20), rng.randint(2, 9)
        got = ids(product_list(api.get("/products", params={"offset": offset, "limit": limit})))
        miss = page_miss(shop, price_ties, got, offset, limit, f"offset={offset}&limit={limit}")
        assert miss is None, miss


def test_consecutive_pages_do_not_overlap(api, shop, price_ties):
    first = ids(product_list(api.get("/products", params={"offset": 0, "limit": 7})))
    second = ids(product_list(api.get("/products", params={"offset": 7, "limit": 7})))
    miss = page_miss(shop, price_ties, first + second, 0, 14,
                     "pages 1 and 2 (offset=0 and offset=7, limit=7)")
    assert miss is None, miss


def test_default_limit_is_ten(api, shop, price_ties):
    got = ids(product_list(api.get("/products", params={"offset": 3})))
    miss = page_miss(shop, price_ties, got, 3, 10, "offset=3 alone (limit 10 by default)")
    assert miss is None, miss


def test_past_the_end(api, shop, price_ties):
    total = len(shop.products)
    tail = ids(product_list(api.get("/products", params={"offset": total - 2, "limit": 10})))
    beyond = ids(product_list(api.get("/products", params={"offset": total + 5})))
    miss = page_miss(shop, price_ties, tail, total - 2, 10,
                     f"offset={total - 2}&limit=10 (the last 2 of {total} products)")
    assert miss is None, miss
    assert beyond == [], f"offset={total + 5}, past the end: expected [], got {beyond}"


def test_limit_of_one_hundred_is_allowed(api, shop, price_ties):
    got = ids(product_list(api.get("/products", params={"limit": 100})))
    miss = page_miss(shop, price_ties, got, 0, 100,
                     f"limit=100 (all {len(shop.products)} products)")
    assert miss is None, miss


def test_out_of_range_values_are_rejected(api):
    require_products_work(api)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": -5}):
        response = api.get("/products", params=params)
        assert response.status_code == 422, f"{params}: expected 422, got {show(response)}"
