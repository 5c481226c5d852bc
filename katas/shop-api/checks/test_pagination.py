"""backend.pagination: offset and limit select a stretch of the product list; consecutive pages
fit together: none overlaps or skips.

Each page is compared with the same stretch of the app's own list of every product
(offset=0&limit=100; the hidden data has fewer), not with the price order: which products the
list holds, in which order and with which fields is the products item's, so an ordering or
join bug costs that item only. The control asks that list to hold at least a row per product:
an app that answers [] everywhere has no pages to judge. Equal prices under the `any` rule may
change places from one request to the next (see shop_helpers.slice_miss).
"""

from __future__ import annotations

import random

from shop_helpers import (
    full_list,
    ids,
    product_list,
    require_valid_products_not,
    show,
    slice_miss,
)


def _page(api, **params) -> list:
    return ids(product_list(api.get("/products", params=params)))


def test_offset_and_limit_select_a_slice(api, shop, seed, price_ties):
    listed = full_list(api, shop)
    rng = random.Random(seed)
    pages = [(rng.randint(1, 20), rng.randint(2, 9)) for _ in range(3)] + [(rng.randint(1, 20), 1)]
    for offset, limit in pages:
        got = _page(api, offset=offset, limit=limit)
        miss = slice_miss(shop, price_ties, got, listed, offset, limit,
                          f"offset={offset}&limit={limit}")
        assert miss is None, miss


def test_consecutive_pages_do_not_overlap(api, shop, price_ties):
    listed = full_list(api, shop)
    first, second = _page(api, offset=0, limit=7), _page(api, offset=7, limit=7)
    miss = slice_miss(shop, price_ties, first + second, listed, 0, 14,
                      "pages 1 and 2 (offset=0 and offset=7, limit=7)")
    assert miss is None, miss


def test_defaults_are_offset_zero_and_limit_ten(api, shop, price_ties):
    listed = full_list(api, shop)
    for params, offset, asked in (({}, 0, "GET /products alone (offset 0, limit 10 by default)"),
                                  ({"offset": 3}, 3, "offset=3 alone (limit 10 by default)")):
        miss = slice_miss(shop, price_ties, _page(api, **params), listed, offset, 10, asked)
        assert miss is None, miss


def test_past_the_end(api, shop, price_ties):
    listed = full_list(api, shop)
    total = len(shop.products)
    tail = _page(api, offset=total - 2, limit=10)
    miss = slice_miss(shop, price_ties, tail, listed, total - 2, 10,
                      f"offset={total - 2}&limit=10 (the last 2 of {total} products)")
    assert miss is None, miss
    beyond = _page(api, offset=total + 5, limit=10)
    miss = slice_miss(shop, price_ties, beyond, listed, total + 5, 10,
                      f"offset={total + 5}, past the end of {total} products")
    assert miss is None, miss


def test_limit_of_one_hundred_is_allowed(api, shop):
    full_list(api, shop)


def test_out_of_range_values_are_rejected(api, preconditions):
    require_valid_products_not(api, preconditions, (422,))
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": -5}):
        response = api.get("/products", params=params)
        assert response.status_code == 422, f"{params}: expected 422, got {show(response)}"
