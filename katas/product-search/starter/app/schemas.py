"""Pydantic schemas: the shape of GET /products' answer (README.md has the contract)."""

from datetime import datetime

from pydantic import BaseModel


class ProductRead(BaseModel):
    id: int
    name: str
    description: str
    category: str
    price: float
    stock: int
    created_at: datetime
    tags: list[str]


class ProductPage(BaseModel):
    items: list[ProductRead]
    total: int
    page: int
    page_size: int
    pages: int
    has_next: bool
    has_prev: bool
