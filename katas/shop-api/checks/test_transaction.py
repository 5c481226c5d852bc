"""backend.transaction: the stock decrement and the order insert succeed or fail together.

The grader planted two failures in the database itself: inserting an order for one customer
fails, and so does updating the stock of one product. Whichever write a solution does second,
one of them fails after the other succeeded, and nothing of it may stay.

The control asks that a valid order is placed first (once per run): an app that places no
order at all leaves nothing behind either, and would pass for all-or-nothing.
"""

from __future__ import annotations

from shop_helpers import (
    fresh_product,
    orders_for,
    place,
    require_orders_work,
    stock_of,
    why_orders_fail,
)


def test_a_failed_order_insert_leaves_the_stock(api, shop, db, used_products, preconditions):
    require_orders_work(api, shop, db, used_products, preconditions)
    product = fresh_product(shop, db, used_products)
    before, orders_before = stock_of(db, product["id"]), orders_for(db, product["id"])
    place(api, shop.fail_order_insert_customer, product["id"], 2)
    assert orders_for(db, product["id"]) == orders_before, "the planted failure was bypassed"
    assert stock_of(db, product["id"]) == before, (
        f"the order insert failed but the stock went from {before} to "
        f"{stock_of(db, product['id'])}: the two writes are not one transaction")


def test_a_failed_stock_update_leaves_no_order(api, shop, db, used_products, preconditions):
    require_orders_work(api, shop, db, used_products, preconditions)
    product = shop.product(shop.fail_stock_update_product)
    before, orders_before = stock_of(db, product["id"]), orders_for(db, product["id"])
    place(api, shop.ordinary_customers()[0]["id"], product["id"], 1)
    assert stock_of(db, product["id"]) == before, "the planted failure was bypassed"
    assert orders_for(db, product["id"]) == orders_before, (
        "the stock update failed but the order was stored: the two writes are not one transaction")


def test_the_app_recovers_after_a_failed_order(api, shop, db, used_products):
    """A failed transaction is rolled back, not left open to poison the next request."""
    place(api, shop.fail_order_insert_customer, fresh_product(shop, db, used_products)["id"], 1)
    reason = why_orders_fail(api, shop, db, used_products)
    assert reason is None, f"after a failed order, {reason}"
