from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.schemas import OrderCreate, OrderOut
from app.services import NotFoundError, ServiceError
from app.services.orders import place_order

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(
    order_in: OrderCreate, session: Annotated[AsyncSession, Depends(get_session)]
) -> OrderOut:
    try:
        order = await place_order(
            session, order_in.customer_id, order_in.product_id, order_in.quantity
        )
    except NotFoundError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from error
    except ServiceError as error:  # invalid quantity, not enough stock
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
    return OrderOut.model_validate(order)
