"""The catalogue API. Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Product

app = FastAPI(title="Product search", version="1.0.0")

SessionDep = Annotated[AsyncSession, Depends(get_session)]


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


# Replace this stub (README.md has the contract; app/schemas.py the answer's shape).


@app.get("/products")
async def search_products() -> None:
    """TODO: search, filter, sort and page the catalogue."""
    raise HTTPException(status.HTTP_501_NOT_IMPLEMENTED, "GET /products is not implemented yet")
