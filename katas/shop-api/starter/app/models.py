"""ORM models, one class per table."""

from datetime import date

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base

# TODO (part 2): add a `Category` model for the `categories` table:
#   - id: integer primary key
#   - name: string, unique, not null
#   - a relationship both ways: Category.products (a list) and Product.category
# and make products.category_id a foreign key to categories.id.
# Then generate a migration (alembic revision --autogenerate -m "add categories"), read it,
# and apply it (alembic upgrade head).


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    registration_date: Mapped[date | None] = mapped_column(default=date.today)

    orders: Mapped[list["Order"]] = relationship(back_populates="customer")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int | None]  # TODO (part 2): a foreign key to categories.id
    price: Mapped[float] = mapped_column(Float)
    stock: Mapped[int] = mapped_column(default=0)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    order_date: Mapped[date] = mapped_column(default=date.today)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]

    customer: Mapped[Customer] = relationship(back_populates="orders")
    product: Mapped[Product] = relationship()
