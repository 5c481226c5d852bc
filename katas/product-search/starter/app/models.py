"""ORM models: the products and their tags."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(50))
    price: Mapped[float] = mapped_column(Float)
    stock: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    # Not loaded unless asked for: in async code a lazy load per product is an error.
    tags: Mapped[list["ProductTag"]] = relationship(back_populates="product", lazy="raise")


class ProductTag(Base):
    """One tag of one product; a product has each tag at most once."""

    __tablename__ = "product_tags"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)

    product: Mapped[Product] = relationship(back_populates="tags")
