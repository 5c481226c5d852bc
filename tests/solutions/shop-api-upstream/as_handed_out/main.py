"""Online shop API: `uvicorn main:app --reload`, then try it at http://127.0.0.1:8000/docs."""

import uvicorn
from fastapi import FastAPI, HTTPException
from sqlalchemy import select

from database import new_session
from models import Customer

app = FastAPI(title="Online shop")


# Two working endpoints, to show how the project talks to the database.


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


# TODO (API, task 1): GET /products
#   A page of products (`offset`, default 0; `limit`, 1 to 100, default 10), cheapest first,
#   each with id, name, price, stock and the name of its category, read with one JOIN.

# TODO (API, task 2): POST /orders with {"customer_id": 1, "product_id": 5, "quantity": 2}
#   Refuse an order the stock cannot cover; otherwise store it and take the quantity off the
#   product's stock, both in one transaction. Answer 201 with the new order.


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
