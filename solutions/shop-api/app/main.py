"""The shop API. Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, status
from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Category, Customer, Order, Product
from app.schemas import CustomerRead, OrderCreate, OrderRead, ProductRead

app = FastAPI(title="Shop API", version="1.0.0")

SessionDep = Annotated[AsyncSession, Depends(get_session)]


# Sample endpoints: they work, and show the style of the project.


@app.get("/customers", response_model=list[CustomerRead])
async def list_customers(session: SessionDep) -> list[Customer]:
    """All customers, by id."""
    customers = await session.scalars(select(Customer).order_by(Customer.id))
    return list(customers)


@app.get("/customers/{customer_id}", response_model=CustomerRead)
async def get_customer(customer_id: int, session: SessionDep) -> Customer:
    """One customer, or 404."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {customer_id} not found")
    return customer


@app.get("/products", response_model=list[ProductRead])
async def list_products(
    session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Sequence[Row]:
    """A page of products, cheapest first (ties by id), each with its category's name.

    One SELECT with a JOIN, whatever the page size. The outer join keeps products that have
    no category (their category_name is null).
    """
    query = (
        select(
            Product.id,
            Product.name,
            Product.price,
            Product.stock,
            Category.name.label("category_name"),
        )
        .outerjoin(Product.category)
        .order_by(Product.price, Product.id)
        .offset(offset)
        .limit(limit)
    )
    return (await session.execute(query)).all()


@app.post("/orders", status_code=status.HTTP_201_CREATED, response_model=OrderRead)
async def create_order(order_in: OrderCreate, session: SessionDep) -> Order:
    """Place an order: decrement the product's stock and store the order, all or nothing."""
    # Everything in this block is one transaction: it commits at the end of the block, and
    # rolls back if anything in it raises (an HTTPException included).
    async with session.begin():
        if await session.get(Customer, order_in.customer_id) is None:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND, f"Customer {order_in.customer_id} not found"
            )
        product = await session.get(Product, order_in.product_id)
        if product is None:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND, f"Product {order_in.product_id} not found"
            )
        # Check and decrement in one statement: of two concurrent orders for the last units,
        # the second one finds the condition false, so the stock never goes below zero.
        decremented = await session.execute(
            update(Product)
            .where(Product.id == product.id, Product.stock >= order_in.quantity)
            .values(stock=Product.stock - order_in.quantity)
        )
        if decremented.rowcount == 0:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                f"Not enough stock for product {product.id}: {order_in.quantity} requested",
            )
        order = Order(**order_in.model_dump())
        session.add(order)
    return order
