"""Online shop API: `uvicorn main:app --reload`, then try it at http://127.0.0.1:8000/docs."""

from typing import Annotated

import uvicorn
from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from database import new_session
from models import Category, Customer, Order, Product

app = FastAPI(title="Online shop")

# Ids and quantities live in INTEGER columns: larger numbers are a bad request, not a crash.
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


@app.get("/customers")
async def list_customers():
    async with new_session() as session:
        customers = await session.scalars(select(Customer).order_by(Customer.id))
        return [
            {"id": c.id, "email": c.email, "name": c.name, "city": c.city}
            for c in customers
        ]


@app.get("/customers/{customer_id}")
async def get_customer(customer_id: int):
    async with new_session() as session:
        customer = await session.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(404, f"no customer {customer_id}")
    return {"id": customer.id, "email": customer.email, "name": customer.name}


@app.get("/products")
async def list_products(
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
):
    """Cheapest first (equal prices by id), with category names from a single JOIN."""
    query = (
        select(Product.id, Product.name, Product.price, Product.stock,
               Category.name.label("category_name"))
        .join(Category, Product.category_id == Category.id, isouter=True)
        .order_by(Product.price, Product.id)
        .offset(offset)
        .limit(limit)
    )
    async with new_session() as session:
        rows = (await session.execute(query)).mappings().all()
    return {"items": [dict(row) for row in rows], "offset": offset, "limit": limit}


class NewOrder(BaseModel):
    customer_id: Int32
    product_id: Int32
    quantity: Annotated[Int32, Field(gt=0)]


@app.post("/orders", status_code=201)
async def create_order(new: NewOrder):
    """The stock check, the decrement and the insert form one transaction. The product row is
    locked (SELECT ... FOR UPDATE) first, so concurrent orders take turns on the last units."""
    async with new_session() as session, session.begin():
        if await session.get(Customer, new.customer_id) is None:
            raise HTTPException(404, f"no customer {new.customer_id}")
        product = await session.scalar(
            select(Product).where(Product.id == new.product_id).with_for_update()
        )
        if product is None:
            raise HTTPException(404, f"no product {new.product_id}")
        if product.stock < new.quantity:
            raise HTTPException(409, f"only {product.stock} of product {product.id} left")
        product.stock -= new.quantity
        order = Order(customer_id=new.customer_id, product_id=new.product_id,
                      quantity=new.quantity)
        session.add(order)
        await session.flush()
        return {"id": order.id, "customer_id": order.customer_id,
                "product_id": order.product_id, "quantity": order.quantity,
                "order_date": order.order_date}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
