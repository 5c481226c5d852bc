"""debug-perf's verdict: the reference scores 100, the untouched starter earns the regression
item it passes by design and nothing else, every alternative correct fix scores 100, and a fix
broken in one item loses points on that item only."""

from __future__ import annotations

import pytest
from conftest import (
    KataContract,
    Patch,
    assert_full_marks,
    earned,
)

from grader.options import GradeOptions
from grader.postgres.shared import SharedPostgres
from grader.sandbox.capabilities import find_postgres_bin
from grader.session import grade_one

KATA = "debug-perf"
FIXES = ["fix.n_plus_one", "fix.search_cache", "fix.blocking"]
AUTO_ITEMS = [*FIXES, "regression.answers"]
MAIN = "app/main.py"


@pytest.fixture
def reference(make_reference):
    return make_reference(KATA)


def test_reference_scores_full_marks(grade, reference):
    card = grade(reference, seed=987654321)
    assert_full_marks(card)
    assert card.seed == 987654321


def test_reference_scores_full_marks_on_postgres(host, reference):
    """The statements are counted by the server there, and the app connects with psycopg."""
    if find_postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql)")
    with SharedPostgres() as shared:
        card = grade_one(reference, GradeOptions(db="postgres", seed=9), host=host,
                         cluster=shared)
    assert_full_marks(card)
    assert card.database == "postgres"


def test_starter_keeps_every_answer_and_fixes_nothing(grade, make_starter):
    card = grade(make_starter(KATA), seed=5)
    assert earned(card) == {**dict.fromkeys(FIXES, 0.0), "regression.answers": 10.0}
    reasons = {item.id: item.reason for item in card.items if item.mode == "auto"}
    assert "a query per user" in reasons["fix.n_plus_one"]
    assert "keeps every answer" in reasons["fix.search_cache"]
    assert "each waited for the others" in reasons["fix.blocking"]


# One patch set per item: a plausible mistake that breaks that item and nothing else.
BROKEN: dict[str, list[Patch]] = {
    # The posts left to load lazily, user by user: the N+1 is back.
    "fix.n_plus_one": [(MAIN, "select(User).options(selectinload(User.posts))", "select(User)")],
    # Bounded, but as the seed's TTLCache was: 1,000 large answers are a leak of their own.
    "fix.search_cache": [(MAIN, "SEARCH_CACHE_SIZE = 32", "SEARCH_CACHE_SIZE = 1000")],
    # The blocking client again, inside the async route.
    "fix.blocking": [(MAIN, "await moderation.check_async(post.body)",
                      "moderation.check(post.body)")],
    # An unknown user answered as a bad request.
    "regression.answers": [(MAIN, 'HTTPException(404, f"user {user_id} not found")',
                            'HTTPException(400, f"user {user_id} not found")')],
}


class TestContract(KataContract):
    kata, broken = KATA, BROKEN
