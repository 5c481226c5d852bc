"""The product-search checks' fixtures and the hook that fills the grading database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import catalogue  # noqa: E402


def pytest_kata_setup_database(db: Any, schema: Any, seed: int) -> catalogue.Catalogue:
    drawn = catalogue.build(seed)
    catalogue.load(db, drawn)
    return drawn


@pytest.fixture(scope="session")
def shop(dataset: catalogue.Catalogue) -> catalogue.Catalogue:
    return dataset
