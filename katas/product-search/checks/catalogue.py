"""The hidden catalogue of a product-search run, drawn from its seed, and the answers GET
/products must give, computed here in Python from the same rows (never by the candidate's code).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

CATEGORIES = ["books", "garden", "kitchen", "outdoors", "toys", "lighting"]
TAGS = ["eco", "sale", "new", "gift", "handmade", "imported", "bestseller"]
ADJECTIVES = ["Amber", "Brisk", "Cobalt", "Dusky", "Ember", "Gilded", "Hushed", "Ivory", "Jade",
              "Lunar", "Misty", "Nimble", "Opal", "Quiet", "Rustic", "Sable", "Tidal", "Vivid"]
NOUNS = ["Kettle", "Lantern", "Satchel", "Teapot", "Blanket", "Notebook", "Compass", "Candle",
         "Mug", "Planter", "Backpack", "Clock", "Easel", "Thermos", "Ladle", "Puzzle"]
DESCRIPTIONS = ["Made from recycled {m}, built to last.", "A {m} classic for every season.",
                "Hand finished {m}; easy to clean.", "Light {m} design that packs small.",
                "Sturdy {m} frame with a lifetime warranty."]
MATERIALS = ["oak", "linen", "copper", "bamboo", "ceramic", "wool", "steel", "cork"]
# The sort fields the statement allows, and the filter columns an index may serve.
SORT_FIELDS = ("name", "price", "created_at", "stock")
FILTER_COLUMNS = {"products": {"category", "price", "stock"}, "product_tags": {"tag"}}
# Names whose %, _ or ' must match literally, each beside a decoy a LIKE wildcard would catch.
LITERAL_NAMES = {"percent": ("100% Wool Scarf", "100 Woolly Scarves"),
                 "underscore": ("Rust_Proof Trowel", "Cast Pot Trowel"),
                 "quote": ("Baker's Whisk", "Bakers Rack")}
# Upper case too: the search is case-insensitive whatever it escapes.
LITERAL_QUERIES = {"percent": "0% W", "underscore": "T_P", "quote": "R's"}
MOST_PRODUCTS = 90  # below the largest page (100): one request can list every match


@dataclass
class Catalogue:
    seed: int
    products: list[dict[str, Any]]

    def matching(self, **params: Any) -> list[dict[str, Any]]:
        """The products GET /products must list for these filters, in no particular order."""
        return [p for p in self.products if _matches(p, params)]

    def ordered(self, rows: list[dict[str, Any]], sort_by: str = "created_at",
                sort_order: str = "desc") -> list[dict[str, Any]]:
        """Rows in the statement's order: by the field, then by id ascending for ties."""
        by_id = sorted(rows, key=lambda p: p["id"])
        return sorted(by_id, key=lambda p: p[sort_by], reverse=sort_order == "desc")

    def named(self, name: str) -> dict[str, Any]:
        return next(p for p in self.products if p["name"] == name)


def _matches(product: dict[str, Any], params: dict[str, Any]) -> bool:
    q = params.get("q")
    if q is not None and q.lower() not in (product["name"] + "\n"
                                           + product["description"]).lower():
        return False
    if "category" in params and product["category"] != params["category"]:
        return False
    if "min_price" in params and product["price"] < params["min_price"]:
        return False
    if "max_price" in params and product["price"] > params["max_price"]:
        return False
    if "in_stock" in params and (product["stock"] > 0) != params["in_stock"]:
        return False
    return set(params.get("tags", ())) <= set(product["tags"])


def build(seed: int) -> Catalogue:
    rng = random.Random(seed)
    names = rng.sample([f"{a} {n}" for a in ADJECTIVES for n in NOUNS],
                       rng.randint(MOST_PRODUCTS - 30, MOST_PRODUCTS - 8))
    names += [name for pair in LITERAL_NAMES.values() for name in pair]
    names.append(names[0])  # two products of one name: sorting by name needs the id tie-break
    start = datetime(2025, 1, 1, 9, 0, 0)
    products = []
    for pid, name in zip(rng.sample(range(1, 5000), len(names)), names, strict=True):
        products.append({
            "id": pid, "name": name,
            "description": rng.choice(DESCRIPTIONS).format(m=rng.choice(MATERIALS)),
            "category": rng.choice(CATEGORIES), "price": rng.randint(199, 29_999) / 100,
            "stock": rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 21, 40]),
            "created_at": start + timedelta(minutes=rng.randint(0, 400_000)),
            "tags": sorted(rng.sample(TAGS, rng.randint(0, 3)))})
    # Ties in every sort field, so that the id tie-break shows.
    for first, second in zip(rng.sample(products, 4), rng.sample(products, 4), strict=True):
        second["price"], second["created_at"] = first["price"], first["created_at"]
    return Catalogue(seed=seed, products=products)


def load(db: Any, catalogue: Catalogue) -> None:
    """The products and their tags, written as the starter's migration makes the tables."""
    as_text = db.kind == "sqlite"  # SQLite has no DATETIME type: SQLAlchemy's text format
    db.insert_many("products", [
        {key: value for key, value in p.items() if key != "tags"}
        | {"created_at": p["created_at"].strftime("%Y-%m-%d %H:%M:%S.%f")
           if as_text else p["created_at"]}
        for p in catalogue.products])
    db.insert_many("product_tags", [{"product_id": p["id"], "tag": tag}
                                    for p in catalogue.products for tag in p["tags"]])
