"""`kata check --watch`: what a save changed, which saves count, and the loop end to end in
tmux: a save that earns an item, a save that breaks it, Ctrl-C, nothing left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import TESTS

from grader.scoring import CheckResult, ItemScore, Scorecard
from grader.watch import compare, relevant


def card(**earned: float) -> Scorecard:
    items = [ItemScore(i, i, "auto", 10, earned.get(i, 0),
                       (CheckResult(f"test_{i}.py::t", "passed" if earned.get(i) else "failed",
                                    "" if earned.get(i) else f"{i} is wrong"),))
             for i in ("a", "b", "c")]
    return Scorecard(kata="k", title="K", submission="s", layout="scaffold", database="sqlite",
                     seed=1, items=items)


def test_the_first_run_gains_what_it_earns_and_names_the_first_miss():
    change = compare(None, card(a=10))
    assert (change.gained, change.lost, change.first_miss) == (["a"], [], "b: b is wrong")


def test_a_save_that_gains_one_item_and_loses_another():
    change = compare(card(a=10), card(b=10))
    assert (change.gained, change.lost, change.first_miss) == (["b"], ["a"], "a: a is wrong")


def test_the_same_first_miss_is_not_said_again():
    assert compare(card(a=10), card(a=10)).first_miss is None


@pytest.mark.parametrize(("path", "counts"), [
    ("ws/app/main.py", True), ("ws/tasks.py", True), ("ws/.venv/lib/x.py", False),
    ("ws/app/__pycache__/main.cpython-311.pyc", False), ("ws/shop.db", False),
    ("ws/shop.db-journal", False), ("ws/.kata/history.jsonl", False), ("ws/.tasks.py.swp", False),
    ("ws/tasks.py~", False), ("ws/.git/index", False),
])
def test_which_saves_count(path, counts):
    assert relevant(path) is counts


def _pane(session: str, socket: str) -> str:
    return subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-J", "-S", "-200",
                           "-t", session], capture_output=True, text=True).stdout


def _wait_for(session: str, socket: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pane = _pane(session, socket)
        if text in pane:
            return pane
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never showed; the pane:\n{_pane(session, socket)}")


def _checks_of(path: Path) -> list[int]:
    """Pythons whose command line names the workspace: the watcher and its checks (not the
    pane's shell)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if entry.name.isdigit() and b"python" in argv[0] and str(path).encode() in argv:
                found.append(int(entry.name))
    return found


def test_the_watch_loop_in_tmux(starter, reference, private_runtime_dir):
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is not installed: CI must run the watch test", pytrace=False)
        pytest.skip("tmux is not installed here (apt-get install tmux)")
    session, socket = "watch", f"kata-test-{uuid.uuid4().hex[:8]}"
    sandboxes = set(Path("/tmp").glob("kata-sb-*"))
    command = (f"cd {TESTS.parent} && env XDG_RUNTIME_DIR={private_runtime_dir} "
               f"KATA_SERVER_IDLE=120 {sys.executable} -m cli check {starter} --watch "
               "--seed 4; echo EXITED $?; sleep 60")
    subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", session, "-x", "160",
                    "-y", "50", command], check=True)
    try:
        _wait_for(session, socket, "watching for saves")
        starter_tasks = (starter / "tasks.py").read_text()
        (starter / "tasks.py").write_text((reference / "tasks.py").read_text())
        _wait_for(session, socket, "gained debug.find_user, debug.history, debug.edge_cases")
        (starter / "tasks.py").write_text(starter_tasks)
        _wait_for(session, socket, "lost debug.find_user, debug.history, debug.edge_cases")
        assert _checks_of(starter), "the watcher itself should be found while it runs"
        subprocess.run(["tmux", "-L", socket, "send-keys", "-t", session, "C-c"], check=True)
        pane = _wait_for(session, socket, "EXITED ")
        assert "EXITED 0" in pane and "Traceback" not in pane, pane
        deadline = time.monotonic() + 10
        while _checks_of(starter) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _checks_of(starter), "a check of the watched workspace is left"
        assert set(Path("/tmp").glob("kata-sb-*")) <= sandboxes, "a sandbox folder is left"
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
