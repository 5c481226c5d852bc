"""The ORM models, one class per table: none yet."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Parent of every model; `Base.metadata` lists their tables."""
