"""Load a little sample data, synchronously: `python seed.py`, after `alembic upgrade head`."""

from sqlalchemy import select

from app.database import SessionLocal
from app.models import Category, Customer, Product

CATALOG = {
    "Books": [("The Pragmatic Programmer", 42.5, 12), ("Clean Architecture", 35.0, 4)],
    "Electronics": [("USB-C Cable", 9.99, 150), ("Mechanical Keyboard", 89.0, 7)],
}
CUSTOMERS = [("ada@example.com", "Ada Lovelace", "London"), ("alan@example.com", "Alan", "Leeds")]


def main() -> None:
    with SessionLocal.begin() as session:
        if session.scalar(select(Category.id).limit(1)) is not None:
            print("The database already has categories: nothing to do.")
            return
        for category_name, products in CATALOG.items():
            category = Category(name=category_name)
            category.products = [Product(name=n, price=p, stock=s) for n, p, s in products]
            session.add(category)
        session.add_all(Customer(email=e, name=n, city=c) for e, n, c in CUSTOMERS)
    print("Sample data added.")


if __name__ == "__main__":
    main()
