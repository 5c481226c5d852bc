"""The shop-api checks' fixtures and the hook that fills the grading database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import shopdata  # noqa: E402


def pytest_kata_setup_database(db: Any, schema: Any, seed: int) -> shopdata.Shop:
    shop = shopdata.build(seed)
    shopdata.load(db, shop)
    schema.missing_tables_created.extend(shop.missing_tables_created)
    return shop


@pytest.fixture
def shop(dataset: shopdata.Shop) -> shopdata.Shop:
    return dataset


@pytest.fixture
def price_ties(statement: Any) -> str:
    """How the graded layout's statement orders equal prices in GET /products (kata.yaml
    `asks: {price_ties: ...}`; see shopdata.PRICE_TIES): our own rule, by id, unless it says."""
    rule = statement.ask("price_ties", "id")
    if rule not in shopdata.PRICE_TIES:
        pytest.fail(f"kata.yaml: layouts.{statement.layout}.asks.price_ties: {rule!r} is none "
                    f"of {', '.join(shopdata.PRICE_TIES)}", pytrace=False)
    return rule


@pytest.fixture(scope="session")
def used_products() -> set[int]:
    """Products already ordered by a check, so the order checks do not disturb each other."""
    return set()


@pytest.fixture(scope="session")
def preconditions() -> dict[str, Any]:
    """The answers to valid requests that several checks compare theirs with, asked once per
    run (see shop_helpers.valid_order)."""
    return {}
