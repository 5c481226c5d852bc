"""An alternative: sync ORM sessions (FastAPI runs sync endpoints in its thread pool), filters
as a list of conditions, tags through IN subqueries, ILIKE with an explicit escape."""

from enum import Enum
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, func, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.database import DATABASE_URL
from app.models import Product, ProductTag
from app.schemas import ProductPage, ProductRead

app = FastAPI(title="Product search", version="1.0.0")
engine = create_engine(DATABASE_URL.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
SessionLocal = sessionmaker(engine)


def get_db():
    with SessionLocal() as session:
        yield session


class SortField(str, Enum):
    name = "name"
    price = "price"
    created_at = "created_at"
    stock = "stock"


SORTABLE = {SortField.name: Product.name, SortField.price: Product.price,
            SortField.created_at: Product.created_at, SortField.stock: Product.stock}


class Filters(BaseModel):
    q: str | None = Field(None, min_length=2)
    category: str | None = None
    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)
    in_stock: bool | None = None


def conditions(f: Filters, tags: list[str]) -> list:
    found = []
    if f.q is not None:
        pattern = "%" + f.q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        found.append(or_(Product.name.ilike(pattern, escape="\\"),
                         Product.description.ilike(pattern, escape="\\")))
    if f.category is not None:
        found.append(Product.category == f.category)
    if f.min_price is not None:
        found.append(Product.price >= f.min_price)
    if f.max_price is not None:
        found.append(Product.price <= f.max_price)
    if f.in_stock is True:
        found.append(Product.stock > 0)
    elif f.in_stock is False:
        found.append(Product.stock == 0)
    for tag in tags:
        found.append(Product.id.in_(select(ProductTag.product_id).where(ProductTag.tag == tag)))
    return found


@app.get("/products", response_model=ProductPage)
def search_products(
    filters: Annotated[Filters, Query()],
    tags: Annotated[list[str] | None, Query()] = None,
    sort_by: SortField = SortField.created_at,
    sort_order: str = Query("desc", pattern="^(asc|desc)$"),
    page: int = Query(1, ge=1),
    page_size: int = Query(20, ge=1, le=100),
    db: Session = Depends(get_db),  # noqa: B008 - FastAPI's idiom
) -> ProductPage:
    if (filters.min_price is not None and filters.max_price is not None
            and filters.min_price > filters.max_price):
        raise HTTPException(422, "min_price > max_price")
    where = conditions(filters, tags or [])
    total = db.scalar(select(func.count(Product.id)).where(*where))
    column = SORTABLE[sort_by]
    page_rows = db.scalars(
        select(Product).where(*where).options(selectinload(Product.tags))
        .order_by(column.desc() if sort_order == "desc" else column, Product.id)
        .offset((page - 1) * page_size).limit(page_size)).all()
    pages = (total + page_size - 1) // page_size
    items = [ProductRead(id=p.id, name=p.name, description=p.description, category=p.category,
                         price=p.price, stock=p.stock, created_at=p.created_at,
                         tags=sorted(t.tag for t in p.tags)) for p in page_rows]
    return ProductPage(items=items, total=total, page=page, page_size=page_size, pages=pages,
                       has_next=page < pages, has_prev=page > 1)
