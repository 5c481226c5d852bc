"""An alternative: SQLAlchemy Core on the tables, one query for the page and its total
(COUNT(*) OVER ()), the tags of the page in a second, and LIKE escaped by hand."""

from enum import Enum
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Product, ProductTag

app = FastAPI(title="Product search", version="1.0.0")
products, product_tags = Product.__table__, ProductTag.__table__
SessionDep = Annotated[AsyncSession, Depends(get_session)]
FIELDS = ("id", "name", "description", "category", "price", "stock", "created_at")


class SortBy(str, Enum):
    name = "name"
    price = "price"
    created_at = "created_at"
    stock = "stock"


class Order(str, Enum):
    asc = "asc"
    desc = "desc"


def escaped(q: str) -> str:
    return "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@app.get("/products")
async def search_products(
    session: SessionDep,
    q: Annotated[str | None, Query(min_length=2)] = None,
    category: str | None = None,
    min_price: Annotated[float | None, Query(ge=0)] = None,
    max_price: Annotated[float | None, Query(ge=0)] = None,
    in_stock: bool | None = None,
    tags: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies it
    sort_by: SortBy = SortBy.created_at,
    sort_order: Order = Order.desc,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    if None not in (min_price, max_price) and min_price > max_price:
        raise HTTPException(422, "min_price must not exceed max_price")
    c = products.c
    conditions = []
    if q:
        pattern = escaped(q)
        conditions.append(or_(func.lower(c.name).like(pattern, escape="\\"),
                              func.lower(c.description).like(pattern, escape="\\")))
    if category is not None:
        conditions.append(c.category == category)
    if min_price is not None:
        conditions.append(c.price >= min_price)
    if max_price is not None:
        conditions.append(c.price <= max_price)
    if in_stock is not None:
        conditions.append(c.stock > 0 if in_stock else c.stock <= 0)
    conditions += [exists().where(and_(product_tags.c.product_id == c.id,
                                       product_tags.c.tag == tag)) for tag in tags]
    column = c[sort_by.value]
    rows = (await session.execute(
        select(*(c[f] for f in FIELDS), func.count().over().label("total"))
        .where(*conditions)
        .order_by(column.asc() if sort_order is Order.asc else column.desc(), c.id.asc())
        .limit(page_size).offset((page - 1) * page_size)
    )).mappings().all()
    if rows:
        total = rows[0]["total"]
    else:  # past the last page the window has no row to carry the total
        total = await session.scalar(select(func.count()).select_from(products)
                                     .where(*conditions))
    tagged: dict[int, list[str]] = {row["id"]: [] for row in rows}
    if tagged:
        for product_id, tag in await session.execute(
                select(product_tags.c.product_id, product_tags.c.tag)
                .where(product_tags.c.product_id.in_(tagged))):
            tagged[product_id].append(tag)
    pages = -(-total // page_size)
    return {"items": [{**{f: row[f] for f in FIELDS}, "tags": sorted(tagged[row["id"]])}
                      for row in rows],
            "total": total, "page": page, "page_size": page_size, "pages": pages,
            "has_next": page < pages, "has_prev": page > 1}
