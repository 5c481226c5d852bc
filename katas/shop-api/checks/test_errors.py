"""backend.errors: client mistakes get the right 4xx with a JSON `detail`, never a 500."""

from __future__ import annotations

from shop_helpers import (
    fresh_product,
    place,
    require_orders_work,
    require_products_work,
    show,
)


def _detail(response) -> object:
    try:
        return response.json().get("detail")
    except (ValueError, AttributeError):
        return None


def test_unknown_customer_is_404(api, shop, db, used_products, preconditions):
    require_orders_work(api, shop, db, used_products, preconditions)
    product = fresh_product(shop, db, used_products)
    response = place(api, shop.unknown_id(shop.customers), product["id"], 1)
    assert response.status_code == 404, f"an unknown customer: expected 404, got {show(response)}"
    assert _detail(response), f"expected a JSON `detail`, got {show(response)}"


def test_unknown_product_is_404(api, shop, db, used_products, preconditions):
    require_orders_work(api, shop, db, used_products, preconditions)
    response = place(api, shop.ordinary_customers()[0]["id"], shop.unknown_id(shop.products), 1)
    assert response.status_code == 404, f"an unknown product: expected 404, got {show(response)}"
    assert _detail(response), f"expected a JSON `detail`, got {show(response)}"


def test_quantity_must_be_positive(api, shop, db, used_products, preconditions):
    require_orders_work(api, shop, db, used_products, preconditions)
    product = fresh_product(shop, db, used_products)
    for quantity in (0, -3):
        response = place(api, shop.ordinary_customers()[0]["id"], product["id"], quantity)
        assert response.status_code in (400, 422), (
            f"quantity {quantity}: expected 422, got {show(response)}")
        assert _detail(response), f"expected a JSON `detail`, got {show(response)}"


def test_malformed_bodies_are_rejected(api, shop, db, used_products, preconditions):
    require_orders_work(api, shop, db, used_products, preconditions)
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
    require_orders_work(api, shop, db, used_products, preconditions)
    requests = [
        ("POST", "/orders", {"json": {"customer_id": "x", "product_id": None, "quantity": 1}}),
        ("POST", "/orders", {"json": [1, 2, 3]}),
        ("POST", "/orders", {"json": {"customer_id": 1, "product_id": 1, "quantity": 10**12}}),
        ("GET", "/products", {"params": {"limit": "ten"}}),
    ]
    for method, path, extra in requests:
        response = api.request(method, path, **extra)
        assert response.status_code < 500, f"{method} {path} {extra}: got {show(response)}"


def test_products_validation_errors_are_json(api):
    require_products_work(api)
    response = api.get("/products", params={"offset": "abc"})
    assert response.status_code == 422 and _detail(response), (
        f"offset=abc: expected 422 with a JSON `detail`, got {show(response)}")
