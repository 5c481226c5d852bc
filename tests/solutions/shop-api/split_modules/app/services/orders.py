from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Customer, Order, Product
from app.services import InvalidOrderError, NotFoundError, OutOfStockError


async def place_order(
    session: AsyncSession, customer_id: int, product_id: int, quantity: int
) -> Order:
    """Take `quantity` units from the product's stock and record the order, atomically."""
    if quantity <= 0:
        raise InvalidOrderError("quantity must be a positive integer")
    async with session.begin():
        if await session.get(Customer, customer_id) is None:
            raise NotFoundError(f"customer {customer_id} does not exist")
        # FOR UPDATE locks the product row until commit: a concurrent order waits here and then
        # sees the decremented stock.
        product = await session.scalar(
            select(Product).where(Product.id == product_id).with_for_update()
        )
        if product is None:
            raise NotFoundError(f"product {product_id} does not exist")
        if product.stock < quantity:
            raise OutOfStockError(f"only {product.stock} of product {product_id} left")
        product.stock -= quantity
        order = Order(customer_id=customer_id, product_id=product_id, quantity=quantity)
        session.add(order)
    return order
