from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.models import Product


async def product_page(session: AsyncSession, offset: int, limit: int) -> tuple[list[Product], int]:
    """The products cheapest first (ties by id), with their categories, and the total count.

    joinedload adds a LEFT OUTER JOIN to categories: one SELECT for the page, one for the count.
    """
    total = await session.scalar(select(func.count()).select_from(Product))
    page = await session.scalars(
        select(Product)
        .options(joinedload(Product.category))
        .order_by(Product.price, Product.id)
        .offset(offset)
        .limit(limit)
    )
    return list(page), total or 0
