"""The user-api checks' fixtures. There is no grading database: the checks make their users
through the API, each from names and addresses drawn from the run's seed."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from grader.kata_api import CandidateRun  # noqa: E402


@pytest.fixture
def rng(seed: int, request: pytest.FixtureRequest) -> random.Random:
    """Randomness of this check in this run: another seed draws other users."""
    return random.Random(f"{seed}:{request.node.nodeid}")


@pytest.fixture
def restarted(candidate: CandidateRun) -> Iterator[CandidateRun]:
    """The run, for a check that restarts the app (with settings of its own): afterwards the
    app runs again as the layout starts it, for the checks that follow."""
    yield candidate
    candidate.restart_app()
