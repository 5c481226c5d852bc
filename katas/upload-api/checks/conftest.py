"""The upload-api checks' fixtures. There is no database: the app keeps what it is sent in the
upload folder and the data folder the layout gives it, and the checks send files drawn from the
run's seed, under an upload limit drawn from it too."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from uploads import Settings  # noqa: E402

from grader.kata_api import CandidateRun  # noqa: E402

MIB = 1 << 20


@pytest.fixture(scope="session", autouse=True)
def settings(seed: int, candidate: CandidateRun) -> Settings:
    """The run's upload limit, from 1 to 2 MiB. The app is restarted with it once, before any check:
    a limit written into the code instead of read from $MAX_UPLOAD_BYTES is seen."""
    drawn = Settings(limit=random.Random(f"{seed}:limit").randrange(MIB, 2 * MIB))
    candidate.restart_app(drawn.env)
    return drawn


@pytest.fixture
def limit(settings: Settings) -> int:
    return settings.limit


@pytest.fixture
def rng(seed: int, request: pytest.FixtureRequest) -> random.Random:
    """Randomness of this check in this run: another seed sends other files."""
    return random.Random(f"{seed}:{request.node.nodeid}")
