"""Test setup: a throwaway SQLite database, the app's tables, and a test client.

DATABASE_URL is set before anything imports the app, so the tests never touch shop.db.
Tables are created from the models (Base.metadata); each test starts with empty tables.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, inspect, text

_TMP_DIR = Path(tempfile.mkdtemp(prefix="shop-tests-"))
DB_PATH = _TMP_DIR / "test.db"
os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{DB_PATH}"


@pytest.fixture(scope="session")
def db() -> Iterator[Engine]:
    """A plain (sync) engine on the test database, to prepare and inspect data."""
    from app import models

    engine = create_engine(f"sqlite:///{DB_PATH}")
    models.Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    shutil.rmtree(_TMP_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def client(db: Engine) -> Iterator[TestClient]:
    from app.main import app

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> None:
    if "db" not in request.fixturenames:
        return
    from app import models

    with request.getfixturevalue("db").begin() as conn:
        for table in reversed(models.Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def customers(db: Engine) -> list[dict]:
    rows = [
        {"id": 1, "email": "ada@example.com", "name": "Ada", "city": "London"},
        {"id": 2, "email": "alan@example.com", "name": "Alan", "city": "Manchester"},
    ]
    with db.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customers (id, email, name, city) VALUES (:id, :email, :name, :city)"
            ),
            rows,
        )
    return rows


@pytest.fixture
def products(db: Engine) -> list[dict]:
    """Two categories and four products; the prices are not in id order on purpose."""
    if not inspect(db).has_table("categories"):
        pytest.fail("there is no categories table: add the Category model first (part 2)")
    categories = [{"id": 1, "name": "Books"}, {"id": 2, "name": "Games"}]
    rows = [
        {"id": 1, "name": "Chess set", "category_id": 2, "price": 30.0, "stock": 5},
        {"id": 2, "name": "Dune", "category_id": 1, "price": 9.5, "stock": 3},
        {"id": 3, "name": "Go board", "category_id": 2, "price": 30.0, "stock": 1},
        {"id": 4, "name": "SICP", "category_id": 1, "price": 45.0, "stock": 0},
    ]
    with db.begin() as conn:
        conn.execute(text("INSERT INTO categories (id, name) VALUES (:id, :name)"), categories)
        conn.execute(
            text(
                "INSERT INTO products (id, name, category_id, price, stock) "
                "VALUES (:id, :name, :category_id, :price, :stock)"
            ),
            rows,
        )
    return rows
