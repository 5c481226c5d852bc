"""backend.products_join: GET /products lists the right products, in price order, with their
category names, from one JOIN: the number of SQL statements does not grow with the page.

Equal prices come by id, or in any order where the layout's statement asks no more (the
`price_ties` fixture)."""

from __future__ import annotations

import pytest
from shop_helpers import TIE_RULES, expected, ids, page_miss, product_list, show


def test_first_page_is_the_cheapest_ten(api, shop, price_ties):
    got = ids(product_list(api.get("/products")))
    miss = page_miss(shop, price_ties, got, 0, 10, "GET /products (the first 10 by default)")
    assert miss is None, miss


def test_products_carry_name_price_and_stock(api, shop, price_ties):
    got = product_list(api.get("/products", params={"limit": 25}))
    miss = page_miss(shop, price_ties, ids(got), 0, 25, "limit=25")
    assert miss is None, miss
    want = [expected(shop, p) for p in shop.page(0, 25, price_ties, answer=ids(got))]
    for g, w in zip(got, want, strict=True):
        fields = {k: g[k] for k in ("id", "name", "price", "stock")}
        assert fields == {k: w[k] for k in fields}, f"expected {w}, got {g}"


def test_category_names_come_from_the_join(api, shop, price_ties):
    got = product_list(api.get("/products", params={"limit": 30}))
    assert got, "limit=30: expected 30 products with their category names, got none"
    want = {p["id"]: shop.category_name(p)
            for p in shop.page(0, 30, price_ties, answer=ids(got))}
    elsewhere = [g["id"] for g in got if g["id"] not in want]
    assert not elsewhere, (
        f"limit=30: products {elsewhere} are not among the 30 cheapest (in price order, "
        f"{TIE_RULES[price_ties]})")
    wrong = {g["id"]: g["category"] for g in got if want[g["id"]] != g["category"]}
    assert not wrong, (
        f"category names: expected e.g. {dict(list(want.items())[:3])}, got wrong ones {wrong}")


def test_price_ties_are_ordered_by_id(api, shop, price_ties, statement):
    if price_ties != "id":
        pytest.skip(f"the {statement.layout} layout's statement asks for price order only: "
                    "equal prices may come in any order")
    got = ids(product_list(api.get("/products", params={"limit": 12})))
    miss = page_miss(shop, price_ties, got, 0, 12, "limit=12")
    assert miss is None, miss


def test_statement_count_does_not_grow_with_the_page(api):
    counts = []
    for limit in (1, 5, 30):
        before = api.statements()
        response = api.get("/products", params={"limit": limit})
        after = api.statements()
        assert response.status_code == 200, f"GET /products?limit={limit}: {show(response)}"
        counts.append(after - before)
    assert counts[0] > 0, "GET /products ran no SQL statement: its answer is not the database's"
    assert counts[0] == counts[1] == counts[2], (
        f"SQL statements for 1, 5 and 30 products: {counts} (an N+1 query; use a JOIN)")


def test_answer_reflects_the_database_now(api, shop, db):
    """Stock is read from the database on each request, not cached from start-up."""
    # Not the product whose stock updates fail on purpose (the transaction check's): the
    # planted failure would stop the grader's own UPDATE too. And one alone at its price, so
    # that its offset is the same in any order of equal prices.
    index, product = next((i, p) for i, p in enumerate(shop.ordered())
                          if p["id"] != shop.fail_stock_update_product
                          and shop.alone_at_its_price(p))
    db.execute("UPDATE products SET stock = stock + 7 WHERE id = :id", {"id": product["id"]})
    current = db.query("SELECT stock FROM products WHERE id = :id", {"id": product["id"]})[0]
    got = product_list(api.get("/products", params={"offset": index, "limit": 1}))
    db.execute("UPDATE products SET stock = stock - 7 WHERE id = :id", {"id": product["id"]})
    assert got and got[0]["stock"] == current["stock"], (
        f"expected stock {current['stock']} for product {product['id']}, got {got[:1]}")
