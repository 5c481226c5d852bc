"""bonus.own_tests: the candidate's own tests (tests/, the examples aside) run on their app, pass
on a correct implementation the grader holds, and fail on broken ones.

The implementations are the reference's app/ with one bug each; a test that imports anything
but `app.main` sees the grader's modules, as the statement warns."""

from __future__ import annotations

import pytest

from grader.kata_api import CandidateRun
from grader.own_tests import OwnTestsReport, files_of, run_own_tests

EXAMPLES = ("tests/test_examples.py",)
LEAST = 3  # tests of their own
BROKEN: dict[str, list[tuple[str, str, str]]] = {
    "duplicate emails": [("app/store.py", "return any(", "return False and any(")],
    "no validation": [
        ("app/schemas.py", "Age = Annotated[int, Field(ge=0, le=150)]", "Age = int"),
        ("app/schemas.py", "min_length=1, ", "")],
    "delete keeps the user": [("app/store.py", 'self._record({"op": "delete", "id": user_id})',
                               "pass")],
    "update replaces the user": [("app/store.py", "user = {**self._users[user_id], **changes}",
                                  'user = {"id": user_id, "name": "", "email": "", "age": None,'
                                  ' **changes}')],
    "unknown ids answer 200": [("app/main.py", "    if user is None:\n        raise _not_found",
                                "    if user is None:\n        return {'id': user_id, 'name': '',"
                                " 'email': '', 'age': None}\n        raise _not_found")],
}


def _patched(files: dict[str, str], patches: list[tuple[str, str, str]]) -> dict[str, str]:
    changed = dict(files)
    for path, old, new in patches:
        assert changed[path].count(old) == 1, f"kata: {path} holds {old!r} not exactly once"
        changed[path] = changed[path].replace(old, new)
    return changed


@pytest.fixture(scope="module")
def runs(candidate: CandidateRun) -> dict[str, OwnTestsReport]:
    """Every run of the candidate's tests, made while their app is stopped (nothing of theirs
    runs beside the tests); the app starts again after."""
    app = {f"app/{path}": text for path, text in files_of(candidate.kata.solution_dir / "app")
           .items()}
    overlays = {"their app": None, "a correct app": app,
                **{name: _patched(app, patches) for name, patches in BROKEN.items()}}
    with candidate.app_paused():
        return run_own_tests(candidate, overlays, ignore=EXAMPLES)


def test_their_tests_run_on_their_app(runs):
    """At least LEAST tests that run. One that fails on their app is not counted against them
    here: it fails on a correct app too (the next check), or it found a bug of the app, which
    the app's own item already costs."""
    own = runs["their app"]
    assert own.errors == 0 and own.passed + own.failed >= LEAST, \
        f"the workspace's own tests on its app: {own.summary()}; expected at least {LEAST} " \
        "of them (beside the examples), running without errors"


def test_their_tests_pass_on_a_correct_implementation(runs):
    correct = runs["a correct app"]
    assert correct.green, f"the workspace's tests on a correct implementation: " \
        f"{correct.summary()}: they test more than the contract, or the app's insides"


@pytest.mark.parametrize("bug", sorted(BROKEN))
def test_their_tests_catch_a_broken_implementation(runs, bug):
    if not runs["a correct app"].green:
        pytest.fail("not judged: the tests fail on a correct implementation too", pytrace=False)
    broken = runs[bug]
    assert broken.failed + broken.errors > 0, \
        f"the workspace's tests pass on an implementation where {bug}: {broken.summary()}"
