"""Test setup: a throwaway SQLite database with the app's tables, a few rows, a client.

DATABASE_URL is set before anything imports the app, so the tests never touch blog.db.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

_TMP_DIR = Path(tempfile.mkdtemp(prefix="blog-tests-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP_DIR / 'test.db'}"


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    from app.database import Base, SessionLocal, engine
    from app.main import app
    from app.models import Post, User

    Base.metadata.create_all(engine)
    with SessionLocal() as session, session.begin():
        session.add_all([
            User(id=1, name="Ada", email="ada@example.com", posts=[
                Post(id=10, title="Engines", body="Patterns on a loom."),
                Post(id=11, title="Win big", body="Click for a free prize!"),
            ]),
            User(id=2, name="Grace", email="grace@example.com"),
        ])
    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()
    shutil.rmtree(_TMP_DIR, ignore_errors=True)
