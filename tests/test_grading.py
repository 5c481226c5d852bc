"""The verdict: the reference scores 100, the starter 0 on what it leaves undone, every correct
alternative 100, and a solution broken in one item loses points on that item only."""

from __future__ import annotations

import pytest
from conftest import (
    KataContract,
    Patch,
    assert_full_marks,
    earned,
)

AUTO_ITEMS = ["debug.find_user", "debug.history", "debug.edge_cases", "backend.category",
              "backend.products_join", "backend.pagination", "backend.stock",
              "backend.transaction", "backend.errors"]
MAIN = "app/main.py"


@pytest.mark.parametrize("seed", [1, 20261122, 987654321])
def test_reference_scores_full_marks(grade, reference, seed):
    card = grade(reference, seed=seed)
    assert_full_marks(card)
    assert card.seed == seed
    skipped = [check.message for item in card.items for check in item.checks
               if check.outcome == "skipped"]
    assert skipped == ["needs PostgreSQL: SQLite runs one writer at a time"]  # the why, plainly


def test_starter_scores_nothing_on_what_it_leaves_undone(grade, starter):
    card = grade(starter, seed=5)
    assert earned(card) == dict.fromkeys(AUTO_ITEMS, 0.0)
    reasons = {item.id: item.reason for item in card.items if item.mode == "auto"}
    assert "501" in reasons["backend.products_join"]
    assert "NotImplementedError" in reasons["debug.history"]
    assert "Category" in reasons["backend.category"]
    manual = [item for item in card.items if item.mode == "manual"]
    assert manual and all(item.status == "manual" for item in manual)


N_PLUS_ONE = '''    rows = []
    page = await session.scalars(
        select(Product).order_by(Product.price, Product.id).offset(offset).limit(limit)
    )
    for product in page.all():
        name = await session.scalar(
            select(Category.name).where(Category.id == product.category_id))
        rows.append({"id": product.id, "name": product.name, "price": product.price,
                     "stock": product.stock, "category_name": name})
    return rows
'''

QUERY_START = "    query = (\n        select(\n            Product.id,"

# One patch set per item: a plausible mistake that breaks that item and nothing else.
BROKEN: dict[str, list[Patch]] = {
    "debug.find_user": [("tasks.py", "for user in users if", "for user in reversed(users) if")],
    "debug.history": [("tasks.py", "key=lambda item: (-item[1], item[0])",
                       "key=lambda item: -item[1]")],
    "debug.edge_cases": [("tasks.py", "        if n <= 0:\n            return []\n"
                          "        return self._actions[-n:]",
                          "        return self._actions[-n:]")],
    "backend.category": [
        ("app/models.py", '    products: Mapped[list["Product"]] = '
                          'relationship(back_populates="category")\n', ""),
        ("app/models.py", '    category: Mapped[Category | None] = '
                          'relationship(back_populates="products")\n', ""),
        (MAIN, ".outerjoin(Product.category)", ".outerjoin(Category, "
                                               "Product.category_id == Category.id)"),
    ],
    "backend.products_join": [(MAIN, QUERY_START, N_PLUS_ONE + QUERY_START)],
    "backend.pagination": [
        (MAIN, "offset: Annotated[int, Query(ge=0)] = 0", "offset: int = 0"),
        (MAIN, "limit: Annotated[int, Query(ge=1, le=100)] = 10", "limit: int = 10"),
        (MAIN, "        .offset(offset)\n", ""),
    ],
    "backend.stock": [(MAIN, "Product.id == product.id, Product.stock >= order_in.quantity",
                       "Product.id == product.id")],
    "backend.transaction": [(MAIN, "        order = Order(**order_in.model_dump())\n"
                                   "        session.add(order)\n",
                             "    order = Order(**order_in.model_dump())\n"
                             "    async with session.begin():\n"
                             "        session.add(order)\n")],
    "backend.errors": [(MAIN, "if await session.get(Customer, order_in.customer_id) is None:",
                        "if False:")],
}


class TestContract(KataContract):
    kata, broken = "shop-api", BROKEN
