"""Load a small sample catalogue: `python seed.py`, after `alembic upgrade head`.

Running it twice is harmless: when the database already has products it does nothing.
"""

import asyncio
import sys
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app.database import SessionLocal, engine
from app.models import Product, ProductTag

# name, description, category, price, stock, tags
CATALOGUE = [
    ("Copper Kettle", "Whistles when the water boils.", "kitchen", 39.5, 12, ["gift"]),
    ("Oak Cutting Board", "Made from recycled oak.", "kitchen", 24.0, 0, ["eco", "handmade"]),
    ("100% Linen Apron", "Washes well, dries fast.", "kitchen", 18.9, 7, ["eco"]),
    ("Folding Trowel", "Light steel design that packs small.", "garden", 12.5, 30, ["new"]),
    ("Seed Starter Kit", "Everything for the first sprouts.", "garden", 24.0, 4, ["gift", "eco"]),
    ("Camp Lantern", "Bright, with a lifetime warranty.", "outdoors", 45.0, 2, ["sale"]),
    ("Trail Guide", "Fifty walks, with maps.", "books", 15.0, 9, []),
    ("Baker's Handbook", "Bread, step by step.", "books", 27.0, 0, ["bestseller"]),
]


async def seed() -> None:
    start = datetime(2025, 1, 1, 9, 0)
    async with SessionLocal() as session, session.begin():
        if await session.scalar(select(Product.id).limit(1)) is not None:
            print("The database already has products: nothing to do.")
            return
        for n, (name, description, category, price, stock, tags) in enumerate(CATALOGUE):
            product = Product(name=name, description=description, category=category,
                              price=price, stock=stock, created_at=start + timedelta(days=n))
            product.tags = [ProductTag(tag=tag) for tag in tags]
            session.add(product)
    print(f"Added {len(CATALOGUE)} products.")


async def run() -> None:
    try:
        await seed()
    finally:
        await engine.dispose()


def main() -> None:
    try:
        asyncio.run(run())
    except DBAPIError as error:
        sys.exit(
            f"seed.py: the database refused the data ({error.orig}).\n"
            "Are the migrations applied? Run `alembic upgrade head`."
        )


if __name__ == "__main__":
    main()
