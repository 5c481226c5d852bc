"""The debug-perf checks' fixtures and the hook that fills the grading database."""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import blog  # noqa: E402


def pytest_kata_setup_database(db, schema, seed: int) -> blog.Blog:
    drawn = blog.build(seed)
    blog.load(db, drawn)
    return drawn


@pytest.fixture(scope="session")
def hidden(dataset: blog.Blog) -> blog.Blog:
    return dataset


@pytest.fixture
def rng(seed: int, request: pytest.FixtureRequest) -> random.Random:
    """Randomness of this check in this run."""
    return random.Random(f"{seed}:{request.node.nodeid}")


def _unasked(hidden: blog.Blog, seed: int, limits: range) -> Iterator[tuple[str, int]]:
    pairs = list(itertools.product(hidden.common_fragments(), limits))
    random.Random(seed).shuffle(pairs)
    return iter(pairs)


@pytest.fixture(scope="session")
def fresh_searches(hidden: blog.Blog, seed: int) -> Iterator[tuple[str, int]]:
    """Searches (q, limit) no check has asked yet in this run, each a large answer: a cache
    keyed by the query and the limit, as the starter's is, holds each one apart."""
    return _unasked(hidden, seed, range(70, 101))


@pytest.fixture(scope="session")
def small_searches(hidden: blog.Blog, seed: int) -> Iterator[tuple[str, int]]:
    """Searches no check has asked yet either, each a small answer (a few posts)."""
    return _unasked(hidden, seed, range(2, 11))
