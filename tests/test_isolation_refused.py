"""Where the machine refuses user namespaces (some distributions do), as an ordinary user: the
scorecard and `kata doctor` name the missing fences, `kata grade` refuses to grade other
people's code without network isolation unless told to, and `kata check` still works."""

from __future__ import annotations

import dataclasses

import pytest

from grader import batch
from grader.batch import BatchOptions, grade_batch
from grader.errors import UserError
from grader.options import GradeOptions
from grader.sandbox import capabilities, policy

REFUSED = capabilities.Capabilities(root=False, netns=False, private_mounts=False,
                                    postgres_bin=None, ipcns=False, seccomp=True)


@pytest.fixture
def refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capabilities, "detect_capabilities", lambda: REFUSED)
    monkeypatch.setattr(policy, "detect_capabilities", lambda: REFUSED)


def test_the_missing_fences_are_named():
    assert REFUSED.missing() == [
        "no network (netns)", "private IPC (ipcns)", "private PIDs (pidns)", "private mounts",
        "a process budget per role"]
    assert REFUSED.to_json()["missing"] == REFUSED.missing()
    whole = dataclasses.replace(REFUSED, netns=True, private_mounts=True, ipcns=True, pidns=True,
                                role_budget=True, userns=True)
    assert whole.missing() == []


def test_grade_refuses_without_network_isolation(refused, reference):
    with pytest.raises(UserError, match="no network isolation") as raised:
        grade_batch([str(reference)], GradeOptions(seed=1), BatchOptions())
    assert raised.value.exit_code == 2
    assert "--isolation minimal" in raised.value.message
    batch.require_network_isolation(GradeOptions(isolation="minimal"))  # on purpose: allowed


def test_check_still_grades_and_says_what_was_missing(refused, grade, reference):
    card = grade(reference, seed=1)
    assert card.score == card.max_score
    assert "no network (netns)" not in card.isolation
    note = next(note for note in card.notes if note.startswith("this machine does not give"))
    assert "no network (netns)" in note and "private mounts" in note
