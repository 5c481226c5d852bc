"""user-api's verdict: the reference scores 100 under several seeds and in every tier, the
starter 0, each alternative 100, and a solution broken in one item loses that item only."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    KataContract,
    Patch,
    assert_full_marks,
    earned,
)

from grader.scaffold import start_workspace, write_solution

KATA = "user-api"
AUTO_ITEMS = ["must.crud", "must.validation", "must.status_codes", "must.edge_cases",
              "bonus.pagination", "bonus.search", "bonus.age_filter", "bonus.health",
              "bonus.own_tests",
              "extra.persistence", "extra.concurrency", "extra.rate_limit", "extra.auth"]
MAIN, STORE, SCHEMAS, LIMITS = "app/main.py", "app/store.py", "app/schemas.py", "app/limits.py"

BROKEN: dict[str, list[Patch]] = {
    "must.crud": [(STORE, "sorted(self._users.items())]",
                   "sorted(self._users.items(), reverse=True)]")],
    "must.validation": [(SCHEMAS, "Age = Annotated[int, Field(ge=0, le=150)]", "Age = int")],
    "must.status_codes": [(MAIN, 'status_code=status.HTTP_201_CREATED, response_model=User',
                           'status_code=200, response_model=User')],
    "must.edge_cases": [(STORE, 'user["email"].casefold() == email.casefold()',
                         'user["email"] == email')],
    "bonus.pagination": [(MAIN, "return users[offset:offset + limit]", "return users[:limit]")],
    "bonus.search": [(MAIN, 'needle in u["name"].casefold() or needle in u["email"].casefold()',
                      'needle in u["name"].casefold()')],
    "bonus.age_filter": [(MAIN, 'u["age"] <= max_age', 'u["age"] < max_age')],
    "bonus.health": [(MAIN, '@app.get("/health")', '@app.get("/healthz")')],
    # Their tests no longer try a taken email: a store that allows duplicates passes them.
    "bonus.own_tests": [("tests/test_users.py", "def test_a_taken_email_is_409_whatever_its_case",
                         "def untested_taken_email")],
    "extra.persistence": [(MAIN, 'UserStore(Path(data_dir) / "users.jsonl" if data_dir else None)',
                           "UserStore(None)")],
    "extra.concurrency": [(STORE, '''    def create(self, fields: dict) -> dict:
        with self._lock:
            if self._taken(fields["email"]):
                raise EmailTaken(fields["email"])
''', '''    def create(self, fields: dict) -> dict:
        if self._taken(fields["email"]):  # checked, then a slow store, then written: a race
            raise EmailTaken(fields["email"])
        __import__("time").sleep(0.05)
        with self._lock:
''')],
    "extra.rate_limit": [(LIMITS, '''"too many requests",
                            headers={"Retry-After": str(wait)})''', '''"too many requests")''')],
    "extra.auth": [(MAIN, '''status_code=status.HTTP_204_NO_CONTENT,
            dependencies=[Depends(require_token)])''',
                    "status_code=status.HTTP_204_NO_CONTENT)")],
}


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return write_solution(KATA, tmp_path / "reference").path


@pytest.mark.parametrize("seed", [1, 20261202])
def test_reference_scores_full_marks_in_every_tier(grade, reference, seed):
    card = grade(reference, seed=seed)
    assert_full_marks(card)
    assert [(t.id, t.score, t.max) for t in card.tiers] == \
        [("must", 60, 60), ("bonus", 20, 20), ("extra", 20, 20)]
    assert card.database == "none" and set(card.durations) >= {"app_ready", "checks"}
    assert "tasks_ready" not in card.durations  # the layout declares no tasks module


def test_starter_scores_nothing(grade, tmp_path):
    card = grade(start_workspace(KATA, tmp_path / "starter").path, seed=4)
    assert earned(card) == dict.fromkeys(AUTO_ITEMS, 0.0)
    assert "501" in next(i.reason for i in card.items if i.id == "must.crud")
    assert card.tiers_summary() == "Must have 0/60 · Bonus 0/20 · Extra credit 0/20"


class TestContract(KataContract):
    kata, broken = KATA, BROKEN
    alternative_seed, broken_seed = 8, 6
