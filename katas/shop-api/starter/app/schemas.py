"""Pydantic schemas: the shapes of request and response bodies."""

from datetime import date

from pydantic import BaseModel, ConfigDict


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str | None
    city: str | None
    registration_date: date | None


# TODO (part 3): the schemas for GET /products and POST /orders (see README.md).
