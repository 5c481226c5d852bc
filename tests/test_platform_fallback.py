"""Practice where Linux's fences do not exist (macOS) or are refused: every namespace and
seccomp probe really runs and fails, and a candidate's `kata check` still grades, saying that
its isolation came down to a process boundary and rlimits.

The kernel calls behind the probes (unshare, prctl) are made to fail as they do off Linux; the
probes themselves, the policy and the grading are the product's own code."""

from __future__ import annotations

import dataclasses
import errno

import pytest

from grader.sandbox import capabilities, cgroup, isolate, policy


def _not_here(*_: object) -> None:
    raise OSError(errno.ENOSYS, "not on this platform")


@pytest.fixture
def no_linux_fences(monkeypatch: pytest.MonkeyPatch) -> capabilities.Capabilities:
    monkeypatch.setattr(isolate, "unshare", _not_here)
    monkeypatch.setattr(isolate, "_prctl", _not_here)
    monkeypatch.setattr(cgroup, "available", lambda: False)
    capabilities.detect_capabilities.cache_clear()
    probed = capabilities.detect_capabilities()
    # A candidate on macOS is an ordinary user: there is no uid to drop to either.
    found = dataclasses.replace(probed, root=False)
    monkeypatch.setattr(policy, "detect_capabilities", lambda: found)
    yield probed
    capabilities.detect_capabilities.cache_clear()


def test_every_probe_fails(no_linux_fences):
    caps = no_linux_fences
    assert not any((caps.netns, caps.ipcns, caps.pidns, caps.private_mounts, caps.userns,
                    caps.role_budget, caps.seccomp, caps.cgroup))
    assert caps.missing() == ["no network (netns)", "private IPC (ipcns)",
                              "private PIDs (pidns)", "private mounts",
                              "a process budget per role", "no new sessions (seccomp)"]


def test_check_grades_behind_a_process_boundary_and_says_so(no_linux_fences, grade, reference):
    card = grade(reference, seed=2)
    assert card.score == card.max_score, {i.id: i.reason for i in card.items if i.reason}
    assert card.isolation == ["process boundary", "rlimits", "scrubbed env", "isolated python"]
    assert any(note.startswith("isolation here is a process boundary and rlimits only")
               for note in card.notes), card.notes
    assert any("no new sessions (seccomp)" in note for note in card.notes), card.notes
