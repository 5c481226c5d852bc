"""search.filters: every filter, alone and combined, lists exactly the matching products (in any
order: which order is the sorting item's), and a filter that cannot hold answers 422.

Every probe asks for one page holding every match (page_size=100; the catalogue has fewer), so
a paging bug that keeps the first page right costs its own item, not this one.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from search_helpers import asked, every_id, require_a_listing, shown, status_of


def _probes(shop, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    word = rng.choice(shop.products)["name"].split()[-1]
    material = rng.choice(["oak", "linen", "copper", "bamboo", "ceramic", "steel"])
    prices = sorted(p["price"] for p in shop.products)
    low, high = prices[len(prices) // 4], prices[3 * len(prices) // 4]
    tag, other = rng.sample(["eco", "sale", "new", "gift", "handmade"], 2)
    return [{"q": word.lower()}, {"q": word.upper()}, {"q": material},
            {"category": rng.choice(["books", "garden", "kitchen", "toys"])},
            {"min_price": low}, {"max_price": high}, {"min_price": low, "max_price": high},
            {"min_price": 0}, {"max_price": 0},
            {"in_stock": True}, {"in_stock": False}, {"tags": [tag]}, {"tags": [tag, other]}]


def _combinations(shop, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed + 1)
    product = rng.choice([p for p in shop.products if p["tags"] and p["stock"] > 0])
    noun = product["name"].split()[-1][:4]
    return [{"q": noun, "category": product["category"]},
            {"category": product["category"], "min_price": product["price"], "in_stock": True},
            {"tags": product["tags"][:1], "max_price": product["price"], "in_stock": True},
            {"q": product["description"].split()[-1][:5], "tags": product["tags"][:1],
             "min_price": 1, "max_price": product["price"]},
            {"q": "zz", "category": product["category"]}]


def _miss(api, shop, params: dict[str, Any]) -> str | None:
    query = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items()}
    got = every_id(api, **query)
    want = sorted(p["id"] for p in shop.matching(**params))
    if sorted(got, key=str) == sorted(want, key=str):
        return None
    missing = [i for i in want if i not in got]
    extra = [i for i in got if i not in want]
    return (f"{asked(query)}: expected {len(want)} products, got {len(got)} "
            f"(missing {shown(missing)}, not matching {shown(extra)})")


def test_each_filter_alone(api, shop, seed):
    for params in _probes(shop, seed):
        miss = _miss(api, shop, params)
        assert miss is None, miss


def test_filters_combine(api, shop, seed):
    for params in _combinations(shop, seed):
        miss = _miss(api, shop, params)
        assert miss is None, miss


def test_a_price_bound_is_inclusive(api, shop, seed):
    product = random.Random(seed + 2).choice(shop.products)
    miss = _miss(api, shop, {"min_price": product["price"], "max_price": product["price"]})
    assert miss is None, miss


@pytest.mark.parametrize("params", [{"min_price": 50, "max_price": 10}, {"q": "a"},
                                    {"min_price": -1}, {"max_price": -0.5},
                                    {"in_stock": "maybe"}])
def test_impossible_filters_are_422(api, params):
    require_a_listing(api)
    status, answer = status_of(api, **params)
    assert status == 422, f"{asked(params)}: expected 422, got {answer}"
