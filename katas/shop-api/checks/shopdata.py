"""The hidden data of a shop-api run: drawn from the run's seed, so hard-coded answers fail."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from typing import Any

ADJECTIVES = ["Amber", "Brisk", "Cobalt", "Dusky", "Ember", "Fabled", "Gilded", "Hushed", "Ivory",
              "Jade", "Keen", "Lunar", "Misty", "Nimble", "Opal", "Pale", "Quiet", "Rustic",
              "Sable", "Tidal", "Umber", "Vivid", "Woven", "Zesty"]
NOUNS = ["Kettle", "Lantern", "Satchel", "Teapot", "Blanket", "Notebook", "Compass", "Candle",
         "Mug", "Scarf", "Planter", "Backpack", "Clock", "Easel", "Whisk", "Thermos", "Ladle"]
CATEGORY_NAMES = ["Kitchen", "Garden", "Stationery", "Outdoors", "Textiles", "Lighting",
                  "Travel", "Decor", "Tools", "Toys"]
CITIES = ["Lisbon", "Tallinn", "Kraków", "Porto", "Ghent", "Turku", "Bergen", "Lyon"]

# How GET /products may order equal prices, as the graded layout's statement asks it (kata.yaml:
# `asks: {price_ties: ...}`): "id", by id (our scaffold's rule, the default); "any", in any order,
# as long as the pages together still list every product once, in price order.
PRICE_TIES = ("id", "any")

# The most products a run has: fewer than GET /products' largest page (limit=100), so the checks
# can ask for every product in one request (shop_helpers.EVERY, shop_helpers.full_list).
MOST_PRODUCTS = 44

# The spec's tables, created by the grader only where the candidate's schema lacks one, so that
# the items that do not depend on it can still be checked.
FALLBACK_DDL = {
    "categories": "CREATE TABLE categories (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE)",
    "customers": "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR NOT NULL, "
                 "name VARCHAR, city VARCHAR, registration_date DATE)",
    "products": "CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "category_id INTEGER, price NUMERIC(10, 2) NOT NULL, stock INTEGER NOT NULL)",
    "orders": "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
              "order_date TIMESTAMP, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL)",
}


@dataclass
class Shop:
    seed: int
    categories: list[dict[str, Any]]
    products: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    fail_order_insert_customer: int
    fail_stock_update_product: int
    missing_tables_created: list[str] = field(default_factory=list)

    def category_name(self, product: dict[str, Any]) -> str:
        return next(c["name"] for c in self.categories if c["id"] == product["category_id"])

    def ordered(self) -> list[dict[str, Any]]:
        """Every product as GET /products must list them: by price, ties by id."""
        return sorted(self.products, key=lambda p: (_price(p), p["id"]))

    def page(self, offset: int = 0, limit: int = 10, ties: str = "id",
             answer: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The products GET /products?offset=&limit= must list, in their order.

        ties="id": the one right page, by price then id. ties="any": equal prices may come in
        any order, so several pages are right, and this is the one closest to `answer` (the
        ids the app listed from `offset` on): each run of equal prices is arranged as the answer
        lists its members, where it does; nothing else moves. So comparing the page with the
        answer is exact about everything but the order among equal prices: a price out of
        order, a product missing, listed twice or from another page is still a miss. Pages
        asked one after the other are one list: compare their concatenation, from the first
        page's offset."""
        if ties not in PRICE_TIES:
            raise ValueError(f"price_ties: {ties!r} is none of {', '.join(PRICE_TIES)}")
        ordered = self.ordered()
        if ties == "any":
            ordered = _arranged_like(ordered, offset, answer)
        return ordered[offset:offset + limit]

    def alone_at_its_price(self, product: dict[str, Any]) -> bool:
        """No other product has its price: its place in GET /products is the same in any order."""
        return Counter(_price(p) for p in self.products)[_price(product)] == 1

    def product(self, product_id: int) -> dict[str, Any]:
        return next(p for p in self.products if p["id"] == product_id)

    def ordinary_customers(self) -> list[dict[str, Any]]:
        return [c for c in self.customers if c["id"] != self.fail_order_insert_customer]

    def unknown_id(self, rows: list[dict[str, Any]]) -> int:
        return max(row["id"] for row in rows) + 1000 + self.seed % 97


def _price(product: dict[str, Any]) -> Decimal:
    return Decimal(str(product["price"]))


def _arranged_like(ordered: list[dict[str, Any]], offset: int,
                   answer: Sequence[Any]) -> list[dict[str, Any]]:
    """`ordered` with each run of equal prices rearranged so that its members stand where
    `answer` (listed from position `offset` on) has them, each at most once; the run's other
    members keep their order in the places left."""
    arranged: list[dict[str, Any]] = []
    for _, equal in groupby(ordered, key=_price):
        run = list(equal)
        left = {p["id"]: p for p in run}
        start = len(arranged)
        placed: dict[int, dict[str, Any]] = {}
        for position in range(start, start + len(run)):
            index = position - offset
            listed = answer[index] if 0 <= index < len(answer) else None
            if type(listed) is int and listed in left:
                placed[position] = left.pop(listed)
        rest = iter(p for p in run if p["id"] in left)
        arranged += [placed.get(position) or next(rest)
                     for position in range(start, start + len(run))]
    return arranged


def build(seed: int) -> Shop:
    rng = random.Random(seed)
    category_ids = rng.sample(range(3, 90), rng.randint(4, 6))
    categories = [{"id": cid, "name": name} for cid, name
                  in zip(category_ids, rng.sample(CATEGORY_NAMES, len(category_ids)), strict=True)]
    names = rng.sample([f"{a} {n}" for a in ADJECTIVES for n in NOUNS],
                       rng.randint(32, MOST_PRODUCTS))
    product_ids = rng.sample(range(100, 900), len(names))
    products = []
    for pid, name in zip(product_ids, names, strict=True):
        cents = rng.randint(150, 49_999)
        products.append({"id": pid, "name": name, "category_id": rng.choice(category_ids),
                         "price": cents / 100, "stock": rng.randint(3, 40)})
    # Ties in price, so the id tie-break matters; and the cheapest items are where a page starts.
    cheapest = sorted(products, key=lambda p: p["price"])
    for first, second in ((cheapest[1], cheapest[2]), (cheapest[5], cheapest[8])):
        second["price"] = first["price"]
    for product, stock in zip(rng.sample(products, 3), (0, 1, 2), strict=True):
        product["stock"] = stock
    customer_ids = rng.sample(range(1000, 5000), rng.randint(8, 14))
    customers = [{"id": cid, "email": f"user{cid}.{rng.randint(10, 99)}@example.test",
                  "name": f"Customer {cid}", "city": rng.choice(CITIES),
                  "registration_date": date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))}
                 for cid in customer_ids]
    orders = [{"id": 10_000 + n, "customer_id": rng.choice(customer_ids),
               "product_id": rng.choice(product_ids), "quantity": rng.randint(1, 3),
               "order_date": date(2025, 3, 1) + timedelta(days=n)} for n in range(5)]
    with_stock = [p for p in products if p["stock"] >= 10]
    return Shop(seed=seed, categories=categories, products=products, customers=customers,
                orders=orders, fail_order_insert_customer=rng.choice(customer_ids),
                fail_stock_update_product=rng.choice(with_stock)["id"])


def _date_value(value: date, declared_type: str, kind: str) -> date | str:
    """Store dates the way the candidate's column type reads them back: a typed database (say
    PostgreSQL) takes the date itself; SQLite has no types, so the text must match the column."""
    if kind != "sqlite":
        return value
    if any(word in declared_type.upper() for word in ("TIME", "STAMP")):
        return f"{value.isoformat()} 00:00:00.000000"
    return value.isoformat()


def load(db: Any, shop: Shop) -> None:
    for table, ddl in FALLBACK_DDL.items():
        if table not in db.tables():
            db.execute(ddl)
            shop.missing_tables_created.append(table)
    customer_date = db.columns("customers").get("registration_date")
    order_date = db.columns("orders").get("order_date")
    db.insert_many("categories", shop.categories)
    db.insert_many("customers", [
        {**c, "registration_date": _date_value(c["registration_date"],
                                               customer_date.type if customer_date else "",
                                               db.kind)}
        for c in shop.customers])
    db.insert_many("products", shop.products)
    db.insert_many("orders", [
        {**o, "order_date": _date_value(o["order_date"], order_date.type if order_date else "",
                                        db.kind)}
        for o in shop.orders])
    db.plant_failure("orders", "INSERT", "customer_id", shop.fail_order_insert_customer)
    db.plant_failure("products", "UPDATE", "id", shop.fail_stock_update_product)
