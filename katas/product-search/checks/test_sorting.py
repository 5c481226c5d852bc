"""paging.sorting: the list comes in the asked order, newest first by default, and products
that tie on the sort field come by id (ascending, in either direction), so pages are stable.

The hidden catalogue ties every sort field somewhere (catalogue.build).
"""

from __future__ import annotations

import catalogue
import pytest
from search_helpers import asked, every_id, require_a_listing, shown, status_of


def _miss(api, shop, params: dict) -> str | None:
    got = every_id(api, **params)
    want = [p["id"] for p in shop.ordered(shop.products, params.get("sort_by", "created_at"),
                                          params.get("sort_order", "desc"))]
    if got == want:
        return None
    first = next((n for n, (g, w) in enumerate(zip(got, want, strict=False)) if g != w),
                 min(len(got), len(want)))
    return (f"{asked(params)}: from position {first} expected ids {shown(want[first:])}, "
            f"got {shown(got[first:])}")


def test_newest_first_by_default(api, shop):
    miss = _miss(api, shop, {})
    assert miss is None, miss


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("field", catalogue.SORT_FIELDS)
def test_each_sort_field(api, shop, field, order):
    miss = _miss(api, shop, {"sort_by": field, "sort_order": order})
    assert miss is None, miss


def test_an_unknown_sort_order_is_422(api):
    require_a_listing(api)
    status, answer = status_of(api, sort_by="price", sort_order="sideways")
    assert status == 422, f"sort_order=sideways: expected 422, got {answer}"
