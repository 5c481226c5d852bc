"""Hooks a kata's hidden checks implement in their conftest.py, in pytest's plugin style."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.hookspec(firstresult=True)
def pytest_kata_setup_database(db: Any, schema: Any, seed: int) -> Any:
    """Fill the freshly created schema with the kata's hidden data, drawn from `seed`.

    Called once per run, before the candidate's app starts. Return the dataset: the checks get it
    through the `dataset` fixture.
    """
