"""Test setup: a throwaway SQLite database with the app's tables, and a client.

DATABASE_URL is set before anything imports the app, so the tests never touch blog.db.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

_TMP_DIR = Path(tempfile.mkdtemp(prefix="blog-tests-"))
DB_PATH = _TMP_DIR / "test.db"
os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{DB_PATH}"


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    from app import models
    from app.main import app

    engine = create_engine(f"sqlite:///{DB_PATH}")
    models.Base.metadata.create_all(engine)
    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()
    shutil.rmtree(_TMP_DIR, ignore_errors=True)
