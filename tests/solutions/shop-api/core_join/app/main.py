"""The shop API; the two part-3 endpoints use SQLAlchemy Core on the models' tables."""

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, status
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.database import engine, get_session
from app.models import Category, Customer, Order, Product
from app.schemas import CustomerRead, OrderCreate, OrderRead, ProductRead

app = FastAPI(title="Shop API", version="1.0.0")

SessionDep = Annotated[AsyncSession, Depends(get_session)]

customers = Customer.__table__
products = Product.__table__
categories = Category.__table__
orders = Order.__table__


async def get_connection() -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        yield connection


ConnectionDep = Annotated[AsyncConnection, Depends(get_connection)]


@app.get("/customers", response_model=list[CustomerRead])
async def list_customers(session: SessionDep) -> list[Customer]:
    return list(await session.scalars(select(Customer).order_by(Customer.id)))


@app.get("/customers/{customer_id}", response_model=CustomerRead)
async def get_customer(customer_id: int, session: SessionDep) -> Customer:
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {customer_id} not found")
    return customer


@app.get("/products", response_model=list[ProductRead])
async def list_products(
    connection: ConnectionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[dict[str, Any]]:
    query = (
        select(
            products.c.id,
            products.c.name,
            products.c.price,
            products.c.stock,
            categories.c.name.label("category_name"),
        )
        .select_from(products.join(categories, products.c.category_id == categories.c.id))
        .order_by(products.c.price, products.c.id)
        .offset(offset)
        .limit(limit)
    )
    rows = await connection.execute(query)
    return [dict(row) for row in rows.mappings()]


@app.post("/orders", status_code=status.HTTP_201_CREATED, response_model=OrderRead)
async def create_order(order_in: OrderCreate) -> dict[str, Any]:
    order = {**order_in.model_dump(), "order_date": date.today()}
    # engine.begin(): one transaction, committed when the block ends, rolled back on any error.
    async with engine.begin() as connection:
        customer_id = await connection.scalar(
            select(customers.c.id).where(customers.c.id == order["customer_id"])
        )
        if customer_id is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown customer")
        stock = await connection.scalar(
            select(products.c.stock).where(products.c.id == order["product_id"])
        )
        if stock is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown product")
        taken = await connection.execute(
            update(products)
            .where(products.c.id == order["product_id"], products.c.stock >= order["quantity"])
            .values(stock=products.c.stock - order["quantity"])
        )
        if taken.rowcount != 1:
            raise HTTPException(status.HTTP_409_CONFLICT, f"Only {stock} in stock")
        inserted = await connection.execute(insert(orders).values(order))
        order["id"] = inserted.inserted_primary_key[0]
    return order
