"""backend.pagination: offset and limit select the page; out-of-range values answer 422."""

from __future__ import annotations

import random

from shop_helpers import ids, product_list, require_products_work, show


def test_offset_and_limit_select_a_slice(api, shop, seed):
    rng = random.Random(seed)
    for _ in range(3):
        offset, limit = rng.randint(1, 20), rng.randint(2, 9)
        got = ids(product_list(api.get("/products", params={"offset": offset, "limit": limit})))
        want = [p["id"] for p in shop.page(offset, limit)]
        assert got == want, f"offset={offset}&limit={limit}: expected {want}, got {got}"


def test_consecutive_pages_do_not_overlap(api, shop):
    first = ids(product_list(api.get("/products", params={"offset": 0, "limit": 7})))
    second = ids(product_list(api.get("/products", params={"offset": 7, "limit": 7})))
    want = [p["id"] for p in shop.page(0, 14)]
    assert first + second == want, f"pages 1 and 2: expected {want}, got {first + second}"


def test_default_limit_is_ten(api, shop):
    got = ids(product_list(api.get("/products", params={"offset": 3})))
    want = [p["id"] for p in shop.page(3, 10)]
    assert got == want, f"offset=3 alone: expected 10 products {want}, got {got}"


def test_past_the_end(api, shop):
    total = len(shop.products)
    tail = ids(product_list(api.get("/products", params={"offset": total - 2, "limit": 10})))
    beyond = ids(product_list(api.get("/products", params={"offset": total + 5})))
    assert tail == [p["id"] for p in shop.ordered()[-2:]], f"the last 2 products, got {tail}"
    assert beyond == [], f"an offset past the end: expected [], got {beyond}"


def test_limit_of_one_hundred_is_allowed(api, shop):
    got = ids(product_list(api.get("/products", params={"limit": 100})))
    assert got == [p["id"] for p in shop.ordered()], (
        f"limit=100 should list all {len(shop.products)} products, got {len(got)}")


def test_out_of_range_values_are_rejected(api):
    require_products_work(api)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": -5}):
        response = api.get("/products", params=params)
        assert response.status_code == 422, f"{params}: expected 422, got {show(response)}"
