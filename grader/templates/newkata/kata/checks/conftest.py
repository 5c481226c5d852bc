"""The checks' own fixtures and hooks. A kata with tables fills the grading database here, in a
`pytest_kata_setup_database(db, schema, seed)` hook whose answer the checks get as `dataset`
(see katas/shop-api/checks/conftest.py); this skeleton's exercise needs none.
"""

from __future__ import annotations

import contextlib

import pytest

from grader.candidate import StageFailed


@pytest.fixture(autouse=True)
def _app_started(candidate):
    """Let each check end only once the candidate's app is up (or known not to start).

    The grader ends a run as soon as its checks are done, and checks that use only `tasks` are
    done while the schema is still being made. Today the fork server dies when a run ends just
    as one of its processes exits (grader/sandbox/host.py then reads a pipe it has closed), and
    every later submission of a batch, such as `kata selftest --mutants`, fails with it.
    Waiting for the app keeps the end of the run clear of that: drop this fixture once the
    server is mended, or once a check uses `api`.
    """
    yield
    with contextlib.suppress(StageFailed):
        candidate.app.get(candidate.deadline)
