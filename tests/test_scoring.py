"""Points follow checks: points x passed/total, all-or-nothing when declared, skips not counted."""

from __future__ import annotations

import pytest

from grader.kata import ChecklistItem, load_kata
from grader.scoring import CheckResult, KataDefinitionError, score_checks, score_item


def results(*outcomes: str) -> list[CheckResult]:
    return [CheckResult(f"test_x.py::test_{n}", outcome, "why" if outcome != "passed" else "")
            for n, outcome in enumerate(outcomes)]


ITEM = ChecklistItem(id="x", text="x", points=12, checks=("test_x.py",))


def test_points_in_proportion_to_checks_passed():
    scored = score_item(ITEM, results("passed", "failed", "passed"))
    assert scored.earned == 8 and scored.status == "partial" and scored.reason == "why"


def test_all_or_nothing():
    item = ITEM.model_copy(update={"all_or_nothing": True})
    assert score_item(item, results("passed", "failed")).earned == 0
    assert score_item(item, results("passed", "passed")).earned == 12


def test_skipped_checks_count_neither_way():
    scored = score_item(ITEM, results("passed", "skipped"))
    assert scored.earned == 12 and scored.status == "passed"


def test_an_item_backed_by_no_check_is_the_authors_mistake():
    kata = load_kata("shop-api")
    with pytest.raises(KataDefinitionError, match="matched no check"):
        score_checks(kata, results("passed"))
