"""The shop API, synchronous: plain `def` endpoints run in FastAPI's thread pool."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, status
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app.database import get_session
from app.models import Customer, Order, Product
from app.schemas import CustomerRead, OrderCreate, OrderRead, ProductRead

app = FastAPI(title="Shop API", version="1.0.0")

SessionDep = Annotated[Session, Depends(get_session)]


@app.get("/customers", response_model=list[CustomerRead])
def list_customers(session: SessionDep) -> list[Customer]:
    return list(session.scalars(select(Customer).order_by(Customer.id)))


@app.get("/customers/{customer_id}", response_model=CustomerRead)
def get_customer(customer_id: int, session: SessionDep) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {customer_id} not found")
    return customer


@app.get("/products/")
def list_products(
    session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[ProductRead]:
    """A page of products by price, then id. selectinload fetches the page's categories in a
    second query (WHERE id IN ...): two statements, whatever the page size."""
    products = session.scalars(
        select(Product)
        .options(selectinload(Product.category))
        .order_by(Product.price, Product.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        ProductRead(
            id=product.id,
            name=product.name,
            price=product.price,
            stock=product.stock,
            category_name=product.category.name if product.category else None,
        )
        for product in products
    ]


@app.post("/orders/", status_code=status.HTTP_201_CREATED, response_model=OrderRead)
def create_order(order_in: OrderCreate, session: SessionDep) -> Order:
    with session.begin():
        if session.get(Customer, order_in.customer_id) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Customer not found")
        if session.get(Product, order_in.product_id) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Product not found")
        decremented = session.execute(
            update(Product)
            .where(Product.id == order_in.product_id, Product.stock >= order_in.quantity)
            .values(stock=Product.stock - order_in.quantity)
        )
        if decremented.rowcount != 1:
            raise HTTPException(status.HTTP_409_CONFLICT, "Not enough stock")
        order = Order(**order_in.model_dump())
        session.add(order)
    return order
