"""A process that forks graders loads every kata's checks once: each kata keeps its own
modules whatever its files are called, and checks that do not load are the kata's bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import grader.kata
from grader.checks import PreparedChecks, prepare_checks
from grader.errors import UserError
from grader.kata import load_kata
from katas import KATAS_DIR

FAILING_FIND_USER = '''
def test_finds_a_user(tasks):
    assert False, "beta's own check ran"
'''


@pytest.fixture
def katas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """alpha and beta: copies of shop-api, files named alike, in a katas folder of their own."""
    folder = tmp_path / "katas"
    for name in ("alpha", "beta"):
        copy = shutil.copytree(KATAS_DIR / "shop-api", folder / name,
                               ignore=shutil.ignore_patterns("__pycache__"))
        spec = copy / "kata.yaml"
        spec.write_text(spec.read_text().replace("id: shop-api", f"id: {name}", 1))
    monkeypatch.setattr(grader.kata, "KATAS_DIR", folder)
    load_kata.cache_clear()
    yield folder
    load_kata.cache_clear()


def as_workspace_of(workspace: Path, kata_id: str) -> Path:
    marker = workspace / ".kata" / "workspace.json"
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "kata_id": kata_id}))
    return workspace


def test_katas_with_files_named_alike_each_run_their_own_checks(reference, katas, grade):
    (katas / "beta" / "checks" / "test_find_user.py").write_text(FAILING_FIND_USER)
    prepare_checks(load_kata("alpha"))  # imports alpha's test_find_user.py first
    prepare_checks(load_kata("beta"))
    beta = grade(as_workspace_of(reference, "beta"), seed=5)
    find_user = next(item for item in beta.items if item.id == "debug.find_user")
    assert find_user.earned == 0 and "beta's own check ran" in (find_user.reason or "")
    alpha = grade(as_workspace_of(reference, "alpha"), seed=5)
    assert alpha.score == 100


@pytest.mark.parametrize(("relative", "text", "expected"), [
    ("test_history.py", "def test_broken(:\n", r"SyntaxError: .*\(test_history\.py:1\)"),
    ("conftest.py", "import no_such_module\n", r"No module named 'no_such_module'"),
])
def test_checks_that_do_not_load_are_the_katas_bad_input(katas, relative, text, expected):
    (katas / "beta" / "checks" / relative).write_text(text)
    with pytest.raises(UserError, match=rf"^the checks of kata beta do not load: .*{expected}"):
        PreparedChecks(load_kata("beta"))


def test_the_users_pytest_settings_do_not_reach_the_hidden_checks(reference, grade,
                                                                   monkeypatch):
    monkeypatch.setenv("PYTEST_ADDOPTS", "-x -k nothing_matches")
    monkeypatch.setenv("PYTEST_PLUGINS", "no_such_plugin")
    assert grade(reference, seed=3).score == 100
