"""The shop API: the app and the sample endpoints; products and orders live in app/routers."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Customer
from app.routers import orders, products
from app.schemas import CustomerRead

app = FastAPI(title="Shop API", version="1.0.0")
app.include_router(products.router)
app.include_router(orders.router)

SessionDep = Annotated[AsyncSession, Depends(get_session)]


@app.get("/customers", response_model=list[CustomerRead])
async def list_customers(session: SessionDep) -> list[Customer]:
    return list(await session.scalars(select(Customer).order_by(Customer.id)))


@app.get("/customers/{customer_id}", response_model=CustomerRead)
async def get_customer(customer_id: int, session: SessionDep) -> Customer:
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Customer {customer_id} not found")
    return customer
