"""The catalogue API. Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs."""

from math import ceil
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.database import get_session
from app.models import Product, ProductTag
from app.schemas import ProductPage

app = FastAPI(title="Product search", version="1.0.0")

SessionDep = Annotated[AsyncSession, Depends(get_session)]

# The whitelist: FastAPI answers 422 for any other sort_by, and no name reaches the model.
SortField = Literal["name", "price", "created_at", "stock"]
SORT_COLUMNS = {"name": Product.name, "price": Product.price,
                "created_at": Product.created_at, "stock": Product.stock}


@app.get("/categories")
async def list_categories(session: SessionDep) -> list[str]:
    """A sample endpoint that works: every category, in alphabetical order."""
    categories = await session.scalars(
        select(Product.category).distinct().order_by(Product.category)
    )
    return list(categories)


@app.get("/stats")
async def stats(session: SessionDep) -> dict[str, int]:
    """Another sample: how many products the catalogue holds."""
    return {"products": await session.scalar(select(func.count()).select_from(Product)) or 0}


def matches_text(column: Any, q: str) -> ColumnElement[bool]:
    """The column contains q, ignoring case, each character as itself (% and _ escaped)."""
    return func.lower(column).contains(q.lower(), autoescape=True)


def filtered(q: str | None, category: str | None, min_price: float | None,
             max_price: float | None, in_stock: bool | None, tags: list[str]) -> Select:
    """The products matching every filter given."""
    query = select(Product)
    if q is not None:
        query = query.where(or_(matches_text(Product.name, q),
                                matches_text(Product.description, q)))
    if category is not None:
        query = query.where(Product.category == category)
    if min_price is not None:
        query = query.where(Product.price >= min_price)
    if max_price is not None:
        query = query.where(Product.price <= max_price)
    if in_stock is not None:
        query = query.where(Product.stock > 0 if in_stock else Product.stock == 0)
    for tag in tags:
        query = query.where(Product.tags.any(ProductTag.tag == tag))
    return query


@app.get("/products", response_model=ProductPage)
async def search_products(
    session: SessionDep,
    q: Annotated[str | None, Query(min_length=2)] = None,
    category: str | None = None,
    min_price: Annotated[float | None, Query(ge=0)] = None,
    max_price: Annotated[float | None, Query(ge=0)] = None,
    in_stock: bool | None = None,
    tags: Annotated[list[str] | None, Query()] = None,
    sort_by: SortField = "created_at",
    sort_order: Literal["asc", "desc"] = "desc",
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Search, filter, sort and page the catalogue: counted and paged by the database."""
    if min_price is not None and max_price is not None and min_price > max_price:
        raise HTTPException(422, "min_price is above max_price")
    query = filtered(q, category, min_price, max_price, in_stock, tags or [])
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    column = SORT_COLUMNS[sort_by]
    order = column.desc() if sort_order == "desc" else column.asc()
    products = await session.scalars(
        query.options(selectinload(Product.tags))
        .order_by(order, Product.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    pages = ceil(total / page_size)
    return {
        "items": [{**{key: getattr(p, key) for key in ("id", "name", "description", "category",
                                                        "price", "stock", "created_at")},
                   "tags": sorted(tag.tag for tag in p.tags)} for p in products],
        "total": total,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "has_next": page < pages,
        "has_prev": page > 1,
    }
