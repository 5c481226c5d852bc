"""The debug-perf checks' fixtures and the hook that fills the grading database."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def unasked(hidden: blog.Blog, seed: int) -> Iterator[str]:
    """Queries no check has asked yet in this run, each one that most posts match: every search
    drawn from it is new to a cache, whether the cache keys on q alone or on q and limit."""
    fragments = hidden.common_fragments()
    random.Random(seed).shuffle(fragments)
    return iter(fragments)


def _searches(unasked: Iterator[str], seed: int, limits: range) -> Iterator[tuple[str, int]]:
    rng = random.Random(f"{seed}:{limits}")
    return ((q, rng.choice(limits)) for q in unasked)


@pytest.fixture(scope="session")
def fresh_searches(unasked: Iterator[str], seed: int) -> Iterator[tuple[str, int]]:
    """New searches (q, limit), each a large answer (70 to 100 posts)."""
    return _searches(unasked, seed, range(70, 101))


@pytest.fixture(scope="session")
def small_searches(unasked: Iterator[str], seed: int) -> Iterator[tuple[str, int]]:
    """New searches, each a small answer (a few posts)."""
    return _searches(unasked, seed, range(2, 11))
