"""Test setup: a throwaway SQLite database with the app's tables, a few products, a client.

DATABASE_URL is set before anything imports the app, so the tests never touch catalogue.db.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

_TMP_DIR = Path(tempfile.mkdtemp(prefix="catalogue-tests-"))
DB_PATH = _TMP_DIR / "test.db"
os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{DB_PATH}"

PRODUCTS = [
    {"id": 1, "name": "Copper Kettle", "description": "Whistles.", "category": "kitchen",
     "price": 39.5, "stock": 12, "created_at": "2025-01-01 09:00:00.000000"},
    {"id": 2, "name": "Oak Board", "description": "Recycled oak.", "category": "kitchen",
     "price": 24.0, "stock": 0, "created_at": "2025-01-03 09:00:00.000000"},
    {"id": 3, "name": "Trowel", "description": "Light steel.", "category": "garden",
     "price": 12.5, "stock": 30, "created_at": "2025-01-02 09:00:00.000000"},
]
TAGS = [{"product_id": 1, "tag": "gift"}, {"product_id": 2, "tag": "eco"}]


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    from app import models
    from app.main import app

    engine = create_engine(f"sqlite:///{DB_PATH}")
    models.Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO products VALUES (:id, :name, :description, :category, "
                          ":price, :stock, :created_at)"), PRODUCTS)
        conn.execute(text("INSERT INTO product_tags VALUES (:product_id, :tag)"), TAGS)
    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()
    shutil.rmtree(_TMP_DIR, ignore_errors=True)
