"""backend.stock, on a real server: concurrent orders for the last units never oversell.

SQLite runs one writer at a time, so a race there proves nothing either way: the check is
skipped (and counts neither way). On PostgreSQL, orders that read the stock and then write it
without a row lock or a conditional UPDATE all see the same stock and all succeed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from shop_helpers import fresh_product, orders_for, place

UNITS = 3
BUYERS = 12


def test_concurrent_orders_never_oversell(api, shop, db, used_products):
    if db.kind != "postgres":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    product = fresh_product(shop, db, used_products)
    db.execute("UPDATE products SET stock = :units WHERE id = :id",
               {"units": UNITS, "id": product["id"]})
    orders_before = orders_for(db, product["id"])
    customers = shop.ordinary_customers()
    start = threading.Barrier(BUYERS)

    def buy(n: int) -> int:
        """The answer's status, or 0 when none came."""
        try:
            start.wait(timeout=10)
        except threading.BrokenBarrierError:
            return 0
        try:
            return place(api, customers[n % len(customers)]["id"], product["id"], 1).status_code
        except Exception:  # no answer in time: the database still tells what happened
            return 0

    with ThreadPoolExecutor(BUYERS) as pool:
        try:
            codes = list(pool.map(buy, range(BUYERS)))
        finally:
            start.abort()  # an interrupted check (Ctrl-C) must not leave buyers waiting
    (row,) = db.query("SELECT stock, (SELECT COUNT(*) FROM orders WHERE product_id = :id) AS n "
                      "FROM products WHERE id = :id", {"id": product["id"]})  # one snapshot
    stock, stored = row["stock"], row["n"] - orders_before
    assert stored, f"none of {BUYERS} concurrent orders for {UNITS} units was stored: {codes}"
    assert stock >= 0, (
        f"{BUYERS} concurrent orders for the last {UNITS} units left the stock at {stock}: "
        "lock the row (SELECT ... FOR UPDATE) or decrement with UPDATE ... WHERE stock >= :q")
    assert stored == UNITS - stock, (
        f"{BUYERS} concurrent orders for the last {UNITS} units: {stored} stored, but the stock "
        f"went from {UNITS} to {stock} (a lost update)")
    sold = sum(code in (200, 201) for code in codes)
    assert 0 in codes or sold == stored, (
        f"{sold} concurrent orders were answered as placed, but {stored} were stored")
