from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.schemas import ProductOut, ProductPage
from app.services.products import product_page

router = APIRouter(prefix="/products", tags=["products"])


@router.get("")
async def list_products(
    session: Annotated[AsyncSession, Depends(get_session)],
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> ProductPage:
    products, total = await product_page(session, offset, limit)
    items = [ProductOut.model_validate(product) for product in products]
    return ProductPage(items=items, total=total, offset=offset, limit=limit)
