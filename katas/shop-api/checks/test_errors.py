"""backend.errors: client mistakes get the right 4xx with a JSON `detail`, never a 500.

The control asks only that a valid request is not answered what the mistake should get (a
valid order is not a 404 for the 404 checks, not a 400 or 422 for the validation ones), so
that an app answering everything so earns nothing here. It does not ask that the valid order
is placed: that is the stock item's, and a stock bug should cost that item alone. One valid
order (quantity 1, the least valid one, so a bound set one too high shows) and one valid
GET /products serve every check of a run (the `preconditions` fixture).
"""

from __future__ import annotations

from shop_helpers import (
    fresh_product,
    place,
    require_valid_order_not,
    require_valid_products_not,
    show,
)

INVALID = (400, 422)


def _detail(response) -> object:
    try:
        return response.json().get("detail")
    except (ValueError, AttributeError):
        return None


def test_unknown_customer_is_404(api, shop, db, used_products, preconditions):
    require_valid_order_not(api, shop, db, used_products, preconditions, (404,))
    product = fresh_product(shop, db, used_products)
    response = place(api, shop.unknown_id(shop.customers), product["id"], 1)
    assert response.status_code == 404, f"an unknown customer: expected 404, got {show(response)}"
    assert _detail(response), f"expected a JSON `detail`, got {show(response)}"


def test_unknown_product_is_404(api, shop, db, used_products, preconditions):
    require_valid_order_not(api, shop, db, used_products, preconditions, (404,))
    response = place(api, shop.ordinary_customers()[0]["id"], shop.unknown_id(shop.products), 1)
    assert response.status_code == 404, f"an unknown product: expected 404, got {show(response)}"
    assert _detail(response), f"expected a JSON `detail`, got {show(response)}"


def test_quantity_must_be_positive(api, shop, db, used_products, preconditions):
    require_valid_order_not(api, shop, db, used_products, preconditions, INVALID)
    product = fresh_product(shop, db, used_products)
    for quantity in (0, -3):
        response = place(api, shop.ordinary_customers()[0]["id"], product["id"], quantity)
        assert response.status_code in (400, 422), (
            f"quantity {quantity}: expected 422, got {show(response)}")
        assert _detail(response), f"expected a JSON `detail`, got {show(response)}"


def test_malformed_bodies_are_rejected(api, shop, db, used_products, preconditions):
    require_valid_order_not(api, shop, db, used_products, preconditions, INVALID)
    customer, product = shop.ordinary_customers()[0]["id"], shop.page(0, 1)[0]["id"]
    bodies = {
        "a missing quantity": {"json": {"customer_id": customer, "product_id": product}},
        "a text quantity": {"json": {"customer_id": customer, "product_id": product,
                                     "quantity": "lots"}},
        "a body that is not JSON": {"content": b"{not json",
                                    "headers": {"content-type": "application/json"}},
        "no body": {},
    }
    for what, request in bodies.items():
        response = api.post("/orders", **request)
        assert response.status_code in (400, 422), f"{what}: expected 422, got {show(response)}"


def test_client_errors_are_never_500(api, shop, db, used_products, preconditions):
    """Each mistake gets a 4xx, and not the one a valid request gets too (a missing route
    answers 404 to anything, never a 500)."""
    orders = [
        {"json": {"customer_id": "x", "product_id": None, "quantity": 1}},
        {"json": [1, 2, 3]},
        {"json": {"customer_id": 1, "product_id": 1, "quantity": 10**12}},
    ]
    got = set()
    for extra in orders:
        response = api.post("/orders", **extra)
        assert 400 <= response.status_code < 500, (
            f"POST /orders {extra}: expected a 4xx, got {show(response)}")
        got.add(response.status_code)
    require_valid_order_not(api, shop, db, used_products, preconditions, got)
    response = api.get("/products", params={"limit": "ten"})
    assert 400 <= response.status_code < 500, (
        f"GET /products limit=ten: expected a 4xx, got {show(response)}")
    require_valid_products_not(api, preconditions, (response.status_code,))


def test_products_validation_errors_are_json(api, preconditions):
    require_valid_products_not(api, preconditions, INVALID)
    response = api.get("/products", params={"offset": "abc"})
    assert response.status_code == 422 and _detail(response), (
        f"offset=abc: expected 422 with a JSON `detail`, got {show(response)}")
