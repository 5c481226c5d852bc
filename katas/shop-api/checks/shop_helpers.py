"""Helpers of the shop-api checks: read the app's answers in every shape the spec allows
(a list or `items`; `category_name` or a nested `category`) and look at the database directly."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
import pytest
import shopdata

from grader.kata_api import show


def _price(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def normalize(item: Any) -> dict[str, Any]:
    """One product of the answer, reduced to what the checks compare."""
    if not isinstance(item, dict):
        return {"raw": item}
    category = item.get("category_name")
    if category is None and isinstance(item.get("category"), dict):
        category = item["category"].get("name")
    return {"id": item.get("id"), "name": item.get("name"), "price": _price(item.get("price")),
            "stock": item.get("stock"), "category": category}


def expected(shop: shopdata.Shop, product: dict[str, Any]) -> dict[str, Any]:
    return {"id": product["id"], "name": product["name"], "price": _price(product["price"]),
            "stock": product["stock"], "category": shop.category_name(product)}


def product_list(response: httpx.Response) -> list[dict[str, Any]]:
    """The products of a 200 answer; fails the check with the reason when it is not one."""
    assert response.status_code == 200, f"GET /products: expected 200, got {show(response)}"
    try:
        body = response.json()
    except ValueError:
        pytest.fail(f"GET /products did not answer JSON: {show(response)}", pytrace=False)
    items = body.get("items") if isinstance(body, dict) else body
    assert isinstance(items, list), (
        f"GET /products: expected a list (or an object with `items`), got {show(response)}")
    return [normalize(item) for item in items]


def ids(products: list[dict[str, Any]]) -> list[Any]:
    return [p.get("id") for p in products]


TIE_RULES = {"id": "equal prices by id", "any": "equal prices in any order"}
SHOWN = 12  # ids a reason shows of a longer list: from the first wrong one


def page_miss(shop: shopdata.Shop, ties: str, got: list[Any], offset: int, limit: int,
              asked: str) -> str | None:
    """Why `got`, the ids GET /products listed for `asked` (offset and limit: the page, or
    pages one after the other), is not a right page under the statement's rule for equal
    prices (`ties`, see shopdata.Shop.page); None when it is. The reason says what is wrong:
    the count, an unknown product, one listed twice, prices out of order, products of
    another page, or equal prices out of the rule's order."""
    want = [p["id"] for p in shop.page(offset, limit, ties, answer=got)]
    if got == want:
        return None
    if len(got) != len(want):
        return f"{asked}: expected {len(want)} products, got {len(got)}: {_shown(got)}"
    price = {p["id"]: _price(p["price"]) for p in shop.products}
    if (unknown := next((i for i in got if type(i) is not int or i not in price), None)):
        return f"{asked}: no product has the id {unknown!r}: {_shown(got)}"
    if (twice := next((i for n, i in enumerate(got) if i in got[:n]), None)) is not None:
        return f"{asked}: product {twice} listed twice, so another is missing: {_shown(got)}"
    rule = f" ({TIE_RULES[ties]})"
    if any(price[a] > price[b] for a, b in zip(got, got[1:], strict=False)):
        rule = ""  # the prices themselves: whatever the rule for equal ones
    elif set(got) != set(want):
        missing, extra = [i for i in want if i not in got], [i for i in got if i not in want]
        return (f"{asked}: products {_shown(missing)} missing, {_shown(extra)} listed in "
                f"their place (in price order, {TIE_RULES[ties]})")
    first = next(n for n, (g, w) in enumerate(zip(got, want, strict=True)) if g != w)
    start = first if len(got) > SHOWN else 0
    where = f" from offset {offset + first} on" if start else ""
    return (f"{asked}: not in price order{rule}{where}: expected ids "
            f"{_shown(want[start:])}, got {_shown(got[start:])}")


def _shown(values: list[Any]) -> str:
    return str(values) if len(values) <= SHOWN else f"{str(values[:SHOWN])[:-1]}, ...]"


def stock_of(db: Any, product_id: int) -> int:
    return db.query("SELECT stock FROM products WHERE id = :id", {"id": product_id})[0]["stock"]


def orders_for(db: Any, product_id: int) -> int:
    rows = db.query("SELECT COUNT(*) AS n FROM orders WHERE product_id = :id", {"id": product_id})
    return rows[0]["n"]


def place(api: httpx.Client, customer_id: int, product_id: int, quantity: int) -> httpx.Response:
    return api.post("/orders", json={"customer_id": customer_id, "product_id": product_id,
                                     "quantity": quantity})


def fresh_product(shop: shopdata.Shop, db: Any, used: set[int], least_stock: int = 5) -> dict:
    """A product no other check touches, with enough stock, planted failures excluded."""
    for product in shop.ordered()[::-1]:
        if product["id"] in used or product["id"] == shop.fail_stock_update_product:
            continue
        if stock_of(db, product["id"]) >= least_stock:
            used.add(product["id"])
            return product
    raise AssertionError("the hidden data ran out of products for this check")


def why_orders_fail(api: httpx.Client, shop: shopdata.Shop, db: Any,
                    used: set[int]) -> str | None:
    """None when POST /orders places a valid order now, else the reason."""
    product = fresh_product(shop, db, used)
    response = place(api, shop.ordinary_customers()[0]["id"], product["id"], 1)
    if response.status_code in (200, 201):
        return None
    return f"POST /orders does not place a valid order yet: {show(response)}"


def valid_order(api: httpx.Client, shop: shopdata.Shop, db: Any, used: set[int],
                asked: dict[str, Any]) -> tuple[int, str]:
    """The status and the shown answer of one valid order (quantity 1, the least there is),
    placed once per run (`asked` holds the run's answers): every check asks the same."""
    if "order" not in asked:
        product = fresh_product(shop, db, used)
        response = place(api, shop.ordinary_customers()[0]["id"], product["id"], 1)
        asked["order"] = (response.status_code, show(response))
    return asked["order"]


def require_orders_work(api: httpx.Client, shop: shopdata.Shop, db: Any,
                        used: set[int], asked: dict[str, Any]) -> None:
    """A check of what happens around an order only counts once POST /orders places a valid
    order at all."""
    status, shown = valid_order(api, shop, db, used, asked)
    assert status in (200, 201), f"POST /orders does not place a valid order yet: {shown}"


def require_valid_order_not(api: httpx.Client, shop: shopdata.Shop, db: Any, used: set[int],
                            asked: dict[str, Any], statuses: Collection[int]) -> None:
    """An error check only counts when a valid order is not answered the status it expects
    too (an app that answers everything so would pass it). Whether the valid order is then
    placed right is the stock item's to judge, not this one's."""
    status, shown = valid_order(api, shop, db, used, asked)
    assert status not in statuses, (
        f"a valid order is answered {shown} too, so that answer tells no mistake apart")


def valid_products_status(api: httpx.Client, asked: dict[str, Any]) -> tuple[int, str]:
    """The status and the shown answer of GET /products?limit=5, asked once per run."""
    if "products" not in asked:
        response = api.get("/products", params={"limit": 5})
        asked["products"] = (response.status_code, show(response))
    return asked["products"]


def require_valid_products_not(api: httpx.Client, asked: dict[str, Any],
                               statuses: Collection[int]) -> None:
    """A validation check of GET /products only counts when a valid request is not answered
    the status it expects too; whether its products are right is the other items' to judge."""
    status, shown = valid_products_status(api, asked)
    assert status not in statuses, (
        f"a valid GET /products?limit=5 is answered {shown} too, so that answer tells no "
        "mistake apart")


# -- comparing lists -------------------------------------------------------------------------

EVERY = 50
"""A limit above every product count of the hidden data (shopdata.MOST_PRODUCTS) and inside
the spec's 1..100: a list asked with it holds every product, whatever the default page size
or the upper bound the app enforces (those are pagination's)."""
assert shopdata.MOST_PRODUCTS < EVERY <= 100


def run_miss(shop: shopdata.Shop, ties: str, got: list[Any], asked: str) -> str | None:
    """Why `got`, the ids GET /products listed without an offset, is not a run of the products
    in price order (equal prices under the statement's rule); None when it is. From the
    cheapest on, or from further on: where the list starts and how long it is are the page's,
    which the pagination item judges. The reason is the one against the cheapest products."""
    if not got:
        return f"{asked}: expected products, got none"
    miss = page_miss(shop, ties, got, 0, len(got), asked)
    if miss is None:
        return None
    price = {p["id"]: _price(p["price"]) for p in shop.products}
    starts = [n for n, p in enumerate(shop.ordered())
              if n and type(got[0]) is int and _price(p["price"]) == price.get(got[0])]
    if any(page_miss(shop, ties, got, n, len(got), asked) is None for n in starts):
        return None
    return miss


LIST_ALL = {"offset": 0, "limit": 100}


def full_list(api: httpx.Client, shop: shopdata.Shop) -> list[Any]:
    """The ids of the app's own list of every product, offset=0&limit=100 (the hidden data has
    fewer products): what its pages must be slices of. Its order, fields and rows are the
    products item's to judge; here it only has to hold at least a row per product."""
    got = ids(product_list(api.get("/products", params=LIST_ALL)))
    want = len(shop.products)
    assert want <= len(got) <= 100, (
        f"offset=0&limit=100: expected all {want} products, got {len(got)}: {_shown(got)}")
    return got


def slice_miss(shop: shopdata.Shop, ties: str, got: list[Any], listed: list[Any],
               offset: int, limit: int, asked: str) -> str | None:
    """Why `got`, the ids GET /products listed for `asked` (a page, or pages one after the
    other), is not listed[offset:offset + limit], the same stretch of the app's own full list
    (see full_list); None when it is. Exact where the statement orders equal prices by id;
    under `any`, equal prices may stand in another order on each request, as long as no
    product is listed more often than the full list has it."""
    want = listed[offset:offset + limit]
    if got == want:
        return None
    where = f"offset {offset}" if offset else "its start"
    if len(got) != len(want):
        return (f"{asked}: expected {len(want)} products (the app's own limit=100 list from "
                f"{where}), got {len(got)}: {_shown(got)}")
    times, seen = Counter(listed), Counter(got)
    if (twice := next((i for i in got if seen[i] > max(times[i], 1)), None)) is not None:
        return f"{asked}: product {twice} listed twice, so another is missing: {_shown(got)}"
    if ties == "any":
        shared = Counter(_price(p["price"]) for p in shop.products)
        price = {p["id"]: _price(p["price"]) for p in shop.products}

        def key(i: Any) -> Any:
            return price[i] if i in price and shared[price[i]] > 1 else i

        if [key(i) for i in got] == [key(i) for i in want]:
            return None
    if set(got) != set(want):
        missing, extra = [i for i in want if i not in got], [i for i in got if i not in want]
        return (f"{asked}: products {_shown(missing)} missing, {_shown(extra)} listed in "
                f"their place (the app's own limit=100 list from {where})")
    return (f"{asked}: not in the order of the app's own limit=100 list from {where}: "
            f"expected ids {_shown(want)}, got {_shown(got)}")
