"""Pydantic schemas: the shapes of request and response bodies."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Ids and quantities are stored in INTEGER columns: a number that cannot fit is a malformed
# request (422), not a database error (500).
DbInt = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str | None
    city: str | None
    registration_date: date | None


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    price: float
    stock: int
    category_name: str | None


class OrderCreate(BaseModel):
    customer_id: DbInt
    product_id: DbInt
    quantity: Annotated[DbInt, Field(gt=0)]


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: int
    product_id: int
    quantity: int
    order_date: date
