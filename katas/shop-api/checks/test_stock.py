"""backend.stock: POST /orders sells only what is in stock, and decrements it when it does."""

from __future__ import annotations

from shop_helpers import fresh_product, orders_for, place, show, stock_of


def _customer(shop, index: int = 0) -> int:
    customers = shop.ordinary_customers()
    return customers[index % len(customers)]["id"]


def test_an_order_decrements_the_stock(api, shop, db, used_products):
    product = fresh_product(shop, db, used_products)
    before, orders_before = stock_of(db, product["id"]), orders_for(db, product["id"])
    response = place(api, _customer(shop), product["id"], 3)
    assert response.status_code in (200, 201), f"a valid order: expected 201, got {show(response)}"
    assert stock_of(db, product["id"]) == before - 3, (
        f"stock: expected {before - 3}, found {stock_of(db, product['id'])} in the database")
    assert orders_for(db, product["id"]) == orders_before + 1, "the order row was not stored"


def test_success_answers_the_order(api, shop, db, used_products):
    product = fresh_product(shop, db, used_products)
    customer = _customer(shop, 1)
    response = place(api, customer, product["id"], 2)
    assert response.status_code == 201, f"expected 201 Created, got {show(response)}"
    body = response.json()
    want = {"customer_id": customer, "product_id": product["id"], "quantity": 2}
    assert {k: body.get(k) for k in want} == want and isinstance(body.get("id"), int), (
        f"expected the order with its id and {want}, got {body}")


def test_more_than_the_stock_is_refused(api, shop, db, used_products):
    product = fresh_product(shop, db, used_products)
    stock, orders_before = stock_of(db, product["id"]), orders_for(db, product["id"])
    response = place(api, _customer(shop, 2), product["id"], stock + 1)
    assert response.status_code in (400, 409), (
        f"ordering {stock + 1} of {stock}: expected 409, got {show(response)}")
    assert "detail" in response.json(), f"the refusal should say why in `detail`: {show(response)}"
    assert stock_of(db, product["id"]) == stock, "a refused order changed the stock"
    assert orders_for(db, product["id"]) == orders_before, "a refused order was stored"


def test_the_last_units_can_be_sold_then_no_more(api, shop, db, used_products):
    product = fresh_product(shop, db, used_products)
    stock = stock_of(db, product["id"])
    orders_before = orders_for(db, product["id"])
    last = place(api, _customer(shop, 3), product["id"], stock)
    assert last.status_code in (200, 201), (
        f"ordering all {stock} units: expected 201, got {show(last)}")
    more = place(api, _customer(shop, 3), product["id"], 1)
    assert more.status_code in (400, 409), (
        f"ordering from an empty stock: expected 409, got {show(more)}")
    assert stock_of(db, product["id"]) == 0, (
        f"stock should be 0, found {stock_of(db, product['id'])}")
    assert orders_for(db, product["id"]) == orders_before + 1, "a refused order was stored"


def test_a_product_out_of_stock_is_refused(api, shop, db):
    empty = next(p for p in shop.products if p["stock"] == 0)
    orders_before = orders_for(db, empty["id"])
    response = place(api, _customer(shop, 4), empty["id"], 1)
    assert response.status_code in (400, 409), (
        f"a product with stock 0: expected 409, got {show(response)}")
    assert stock_of(db, empty["id"]) == 0 and orders_for(db, empty["id"]) == orders_before, (
        "a refused order changed the database")
