"""Alembic runs the migrations through the app's own async driver and settings."""

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import models  # noqa: F401 - importing the models puts their tables on Base.metadata
from config import settings
from database import Base

target_metadata = Base.metadata


def apply(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    # As the kit does: a SQLAlchemy 2.0 option that 2.1 rejects, so this runs on the stack it pins.
    engine = create_async_engine(f"{settings.database_url}?async_fallback=True",
                                 poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(apply)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=settings.database_url, target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_online())
