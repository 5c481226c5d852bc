"""Load a little sample data: `python seed.py`, after `alembic upgrade head`.

It needs the Category model (part 2). Running it twice is harmless: when the database already
has categories it does nothing.
"""

import asyncio
import sys

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app import models
from app.database import SessionLocal, engine

CATALOG: dict[str, list[tuple[str, float, int]]] = {
    "Books": [("The Pragmatic Programmer", 42.5, 12), ("Clean Architecture", 35.0, 4)],
    "Electronics": [("USB-C Cable", 9.99, 150), ("Mechanical Keyboard", 89.0, 7)],
    "Kitchen": [("Espresso Cups (set of 4)", 19.9, 30), ("Chef's Knife", 64.0, 0)],
}

CUSTOMERS = [
    ("ada@example.com", "Ada Lovelace", "London"),
    ("alan@example.com", "Alan Turing", "Manchester"),
    ("grace@example.com", "Grace Hopper", "New York"),
]


async def seed() -> None:
    Category = models.Category
    async with SessionLocal() as session, session.begin():
        if await session.scalar(select(Category.id).limit(1)) is not None:
            print("The database already has categories: nothing to do.")
            return
        for category_name, products in CATALOG.items():
            category = Category(name=category_name)
            category.products = [
                models.Product(name=name, price=price, stock=stock)
                for name, price, stock in products
            ]
            session.add(category)
        session.add_all(
            models.Customer(email=email, name=name, city=city) for email, name, city in CUSTOMERS
        )
    product_count = sum(len(products) for products in CATALOG.values())
    print(f"Added {len(CATALOG)} categories, {product_count} products, {len(CUSTOMERS)} customers.")


async def run() -> None:
    try:
        await seed()
    finally:
        await engine.dispose()


def main() -> None:
    if not hasattr(models, "Category"):
        sys.exit(
            "seed.py: there is no Category model yet. Add it to app/models.py (part 2), then "
            'run `alembic revision --autogenerate -m "add categories"` and `alembic upgrade head`.'
        )
    try:
        asyncio.run(run())
    except DBAPIError as error:
        sys.exit(
            f"seed.py: the database refused the data ({error.orig}).\n"
            "Are the migrations applied? Run `alembic upgrade head`."
        )


if __name__ == "__main__":
    main()
