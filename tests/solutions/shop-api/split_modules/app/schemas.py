"""Request and response bodies."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Ids live in INTEGER columns: a number that cannot fit is rejected before it reaches the driver.
Id = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str | None
    city: str | None
    registration_date: date | None


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    price: float
    stock: int
    category: CategoryOut | None


class ProductPage(BaseModel):
    items: list[ProductOut]
    total: int
    offset: int
    limit: int


class OrderCreate(BaseModel):
    customer_id: Id
    product_id: Id
    quantity: int  # checked by the order service: a non-positive quantity is a 400


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: int
    product_id: int
    quantity: int
    order_date: date
