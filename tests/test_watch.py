"""`kata check --watch`: what a run changed, which saves count, and the loop end to end: in
tmux as a candidate runs it (a save earns an item, a save loses it, Ctrl-C), and as JSON Lines
for an editor (a save during a run cancels it, SIGTERM ends it), with nothing left behind."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.scaffold import start_workspace
from grader.scoring import CheckResult, ItemScore, Scorecard
from grader.watch import Miss, compare, relevant
from tests.conftest import TESTS, apply_patches, forks_of, warm_servers

ROOT = TESTS.parent
FIX = [("tasks.py", "if email in users:", 'if email and user.get("email") == email:')]
SLOW = [("tasks.py", '"""Part 1', 'import time\ntime.sleep(60)\n"""Part 1')]  # the import hangs


def card(**passed: int) -> Scorecard:
    """Items a, b, c of 10 points and two checks each; `passed` says how many pass."""
    items = [ItemScore(name, f"item {name}", "auto", 10, 5.0 * passed.get(name, 0),
                       tuple(CheckResult(f"test_{name}.py::t{n}", "passed")
                             if n < passed.get(name, 0)
                             else CheckResult(f"test_{name}.py::t{n}", "failed", f"{name}{n} off")
                             for n in range(2)))
             for name in "abc"]
    return Scorecard(kata="k", title="K", submission="ws", layout="scaffold", database="sqlite",
                     seed=1, items=items)


# --- what a run changed ---------------------------------------------------------------------

def test_the_first_run_names_its_first_miss_and_nothing_gained():
    change = compare(None, card(a=2))
    assert change.first and change.previous_score is None
    assert (change.gained, change.lost) == ((), ())
    assert change.first_miss == Miss("item b", "b0 off") and change.new_first_miss


def test_a_save_that_gains_one_item_and_loses_part_of_another():
    change = compare(card(a=2), card(a=1, b=2))
    assert [(c.text, c.before, c.after) for c in change.gained] == [("item b", 0, 10)]
    assert [(c.text, c.before, c.after) for c in change.lost] == [("item a", 10, 5)]
    assert (change.previous_score, change.score, change.max_score) == (10, 15, 30)
    assert change.first_miss == Miss("item a", "a1 off") and change.new_first_miss


def test_the_same_first_miss_is_not_new():
    change = compare(card(a=1), card(a=1, b=1))
    assert change.first_miss == Miss("item a", "a1 off") and not change.new_first_miss
    assert not change.first and [c.text for c in change.gained] == ["item b"]


def test_a_run_with_every_item_earned_has_no_first_miss():
    change = compare(card(a=2, b=2), card(a=2, b=2, c=2))
    assert change.first_miss is None and change.new_first_miss
    assert compare(card(a=2, b=2, c=2), card(a=2, b=2, c=2)).new_first_miss is False


@pytest.mark.parametrize(("path", "counts"), [
    ("app/main.py", True), ("tasks.py", True), ("requirements.txt", True),
    (".venv/lib/x.py", False), ("venv/lib/x.py", False), ("app/__pycache__/main.pyc", False),
    ("shop.db", False), ("shop.db-journal", False), ("shop.db-wal", False),
    (".kata/history.jsonl", False), (".git/index", False), (".pytest_cache/v/x", False),
    (".tasks.py.swp", False), ("tasks.py~", False), ("4913", False), ("#tasks.py#", False),
    (".#tasks.py", False), ("tasks.py.bak", False),
])
def test_which_saves_count(path, counts):
    assert relevant(path) is counts


# --- end to end -----------------------------------------------------------------------------

def wait_until(condition: Callable[[], object], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


@pytest.fixture
def sandbox_tmp() -> Iterator[Path]:
    """The TMPDIR of the watch, where its graders put their sandbox folders; outside pytest's
    own folders, which the sandbox uid may not pass through."""
    folder = Path(tempfile.mkdtemp(prefix="kata-watch-tmp-"))
    folder.chmod(0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def session_members(leader: int) -> list[int]:
    """Processes of the session `leader` started, but itself: the watch, forks of its own."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError, ValueError):
            if entry.name.isdigit() and entry.name != str(leader) and int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[3]) == leader:
                found.append(int(entry.name))
    return found


def left_running(runtime: Path) -> list[int]:
    """Grader forks and candidate processes under the warm servers in `runtime`: every fork of a
    warm grader, and every process of a fork server but its zygote (its one idle fork). The
    servers themselves are long-lived and shared by design."""
    left = []
    for server in warm_servers(runtime):
        forks = forks_of(server, runtime)
        if b"grader.sock" in Path(f"/proc/{server}/cmdline").read_bytes():
            left += forks
        else:
            idle = [fork for fork in forks if not forks_of(fork, runtime)]
            left += [fork for fork in forks if fork not in idle[:1]]
    return left


def assert_nothing_left(leader: int, runtime: Path, tmp: Path) -> None:
    """No process of the watch's session, grader fork, candidate process or sandbox folder
    outlived it."""
    assert wait_until(lambda: not session_members(leader)), session_members(leader)
    assert wait_until(lambda: not left_running(runtime)), f"left: {left_running(runtime)}"
    assert wait_until(lambda: not list(tmp.iterdir())), f"left: {list(tmp.iterdir())}"


class Tmux:
    """A tmux server of the test's own (its environment is the test's) with one pane."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"kata-watch-{uuid.uuid4().hex[:8]}"
        self.config = folder / "tmux.conf"
        self.config.write_text("set -g history-limit 50000\nset -g remain-on-exit on\n")

    def __call__(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), *args],
                              capture_output=True, text=True, check=True, timeout=30).stdout

    def pane(self) -> str:
        return self("capture-pane", "-p", "-J", "-S", "-", "-t", "watch")

    def wait_for(self, text: str, after: int = 0, seconds: float = 90) -> int:
        """Where `text` shows in the pane past `after`; fails with the pane if it never does."""
        if not wait_until(lambda: text in self.pane()[after:], seconds):
            raise AssertionError(f"{text!r} never showed; the pane:\n{self.pane()}")
        return self.pane().index(text, after) + len(text)

    def shell(self) -> int:
        return int(self("display-message", "-p", "-t", "watch", "#{pane_pid}"))


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        reason = "tmux is not installed here (apt-get install tmux)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the watch test", pytrace=False)
        pytest.skip(reason)
    session = Tmux(tmp_path)
    yield session
    with contextlib.suppress(subprocess.SubprocessError):
        session("kill-server")


def test_watch_in_tmux_shows_items_gained_and_lost_and_ctrl_c_leaves_nothing(
        tmux, tmp_path, sandbox_tmp, private_runtime_dir):
    workspace = start_workspace("shop-api", tmp_path / "ws").path
    starter = (workspace / "tasks.py").read_text()
    # A shell says how the watch ended (tmux, whose child it would be otherwise, at times
    # misses its exit: a zombie, no status); Ctrl-C is the watch's to handle, not the shell's.
    watch = shlex.join([sys.executable, "-m", "cli", "check", str(workspace), "--watch",
                        "--seed", "4"])
    tmux("new-session", "-d", "-s", "watch", "-x", "200", "-y", "50", "-c", str(ROOT),
         "env", "-u", "COLUMNS", f"XDG_RUNTIME_DIR={private_runtime_dir}", f"TMPDIR={sandbox_tmp}",
         "NO_COLOR=1", "sh", "-c", f'trap : INT; {watch}; echo "watch exited with $?"')
    shown = tmux.wait_for("watching for saves")
    assert "first miss now: find_user_by_email works correctly" in tmux.pane()

    apply_patches(workspace, FIX)
    shown = tmux.wait_for("gained find_user_by_email works correctly (+10)", shown)
    shown = tmux.wait_for("watching for saves", shown)
    (workspace / "tasks.py").write_text(starter)
    shown = tmux.wait_for("lost find_user_by_email works correctly (-10)", shown)
    tmux.wait_for("watching for saves", shown)

    shell = tmux.shell()
    tmux("send-keys", "-t", "watch", "C-c")
    tmux.wait_for("watch exited with ", shown, seconds=30)
    assert "watch exited with 0" in tmux.pane() and "Traceback" not in tmux.pane(), tmux.pane()
    assert_nothing_left(shell, private_runtime_dir, sandbox_tmp)


class Lines:
    """`kata check . --watch --json` in `workspace`, and the scorecards it prints, one a line."""

    def __init__(self, workspace: Path, tmp: Path, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "check", ".", "--watch", "--json", "--seed", "4"],
            cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**os.environ, "TMPDIR": str(tmp), **env}, start_new_session=True)
        self.cards: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.cards.put(json.loads(line))

    def next(self, seconds: float = 90) -> dict:
        try:
            return self.cards.get(timeout=seconds)
        except queue.Empty:
            self.process.kill()
            raise AssertionError(f"no scorecard; stderr:\n{self.process.communicate()[1]}") \
                from None


def earned(data: dict) -> dict[str, float]:
    return {item["id"]: item["earned"] for item in data["items"] if item["mode"] == "auto"}


@pytest.mark.parametrize("servers", ["warm", "off"])
def test_json_lines_a_save_during_a_run_cancels_it_and_sigterm_ends_the_watch(
        tmp_path, sandbox_tmp, private_runtime_dir, servers):
    workspace = start_workspace("shop-api", tmp_path / "ws").path
    starter = (workspace / "tasks.py").read_text()
    watch = Lines(workspace, sandbox_tmp, **({"KATA_SERVER": "0"} if servers == "off" else {}))
    first = watch.next()
    assert (first["score"], first["seed"], first["submission"]) == (0, 4, ".")

    apply_patches(workspace, SLOW)  # graded for a minute, were it not cancelled
    assert wait_until(lambda: any(sandbox_tmp.glob("kata-sb-*")), 30), "the run never started"
    (workspace / "tasks.py").write_text(starter)
    apply_patches(workspace, FIX)
    fixed = watch.next()
    assert earned(fixed)["debug.find_user"] == 10 and fixed["seed"] == 4
    assert watch.cards.empty(), "the cancelled run printed a scorecard"

    watch.process.send_signal(signal.SIGTERM)
    _, stderr = watch.process.communicate(timeout=30)
    assert watch.process.returncode == 0 and "Traceback" not in stderr, stderr
    assert watch.cards.empty(), "a tree was graded twice"
    history = (workspace / ".kata" / "history.jsonl").read_text().splitlines()
    assert [json.loads(line)["score"] for line in history] == [0, fixed["score"]]
    assert_nothing_left(watch.process.pid, private_runtime_dir, sandbox_tmp)


def test_watch_refuses_a_folder_that_is_no_workspace_and_min_score(tmp_path, reference):
    for args in ([str(tmp_path / "missing")], [str(reference), "--min-score", "50"]):
        result = subprocess.run([sys.executable, "-m", "cli", "check", *args, "--watch"],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr
