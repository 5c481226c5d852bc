"""The blog-api checks' fixtures. The grading database starts empty: the checks make their users
and posts through the API, from names and words drawn from the run's seed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import blog  # noqa: E402

from grader.kata_api import ApiClient, CandidateRun  # noqa: E402


@pytest.fixture
def rng(seed: int, request: pytest.FixtureRequest) -> random.Random:
    """Randomness of this check in this run: another seed draws other users and posts."""
    return random.Random(f"{seed}:{request.node.nodeid}")


def _writer(api: ApiClient, candidate: CandidateRun, seed: int, name: str) -> blog.Account:
    account = blog.new_account(random.Random(f"{seed}:{name}"))
    return blog.with_token(blog.register(api, account), candidate.secret)


@pytest.fixture(scope="session")
def alice(api: ApiClient, candidate: CandidateRun, seed: int) -> blog.Account:
    """A registered user, with a token the grader minted with the run's SECRET_KEY."""
    return _writer(api, candidate, seed, "alice")


@pytest.fixture(scope="session")
def bob(api: ApiClient, candidate: CandidateRun, seed: int) -> blog.Account:
    """Another one: the user who tries to change alice's posts."""
    return _writer(api, candidate, seed, "bob")
