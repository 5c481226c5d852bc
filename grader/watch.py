"""`kata check --watch`: grade again on every save, and say what changed since the last run.

Each run is a `kata check --json` child process (it reaches the warm servers like any check):
a save while it runs kills it and starts a fresh one, so a stale tree is never graded twice,
and the warm grader's fork leaves the moment its client goes. Saves are read from the OS with
watchfiles (inotify, FSEvents), debounced.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.scoring import Scorecard

IGNORED_DIRS = {".venv", "venv", "__pycache__", ".kata", ".git", ".pytest_cache", ".ruff_cache",
                ".mypy_cache"}
IGNORED_SUFFIXES = (".db", ".db-journal", ".db-wal", ".db-shm", ".pyc", ".swp", ".swx", "~")


def relevant(path: str) -> bool:
    """A saved file worth grading again for: not a venv, cache, database or editor file."""
    parts = Path(path).parts
    return not IGNORED_DIRS.intersection(parts) and not parts[-1].endswith(IGNORED_SUFFIXES) \
        and not parts[-1].startswith(".#")


@dataclass(frozen=True)
class Change:
    """What one run changed against the one before it."""

    gained: list[str]
    lost: list[str]
    first_miss: str | None  # the first item not earned, when it is not the same as before
    score: float


def _earned(card: Scorecard) -> list[str]:
    return [i.id for i in card.items if i.mode == "auto" and i.points and i.earned >= i.points]


def _first_miss(card: Scorecard) -> str | None:
    item = next((i for i in card.items if i.mode == "auto" and i.earned < i.points), None)
    return f"{item.id}: {item.reason}" if item else None


def compare(before: Scorecard | None, after: Scorecard) -> Change:
    old = set(_earned(before)) if before else set()
    new = _earned(after)
    miss = _first_miss(after)
    return Change(gained=[i for i in new if i not in old],
                  lost=[i for i in _earned(before) if i not in new] if before else [],
                  first_miss=miss if before is None or miss != _first_miss(before) else None,
                  score=after.score)


class Watcher:
    """Runs the checks in a child, restarting it on a save; `show` gets each finished card."""

    def __init__(self, workspace: Path, check_args: Sequence[str],
                 show: Callable[[Scorecard, Change], None]) -> None:
        self.workspace, self.check_args, self.show = workspace, list(check_args), show
        self.previous: Scorecard | None = None
        self.child: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start_run(self) -> None:
        with self.lock:
            self._kill()
            self.child = subprocess.Popen(
                [sys.executable, "-m", "cli", "check", str(self.workspace), "--json",
                 *self.check_args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                cwd=Path(__file__).resolve().parent.parent)
            threading.Thread(target=self._collect, args=(self.child,), daemon=True).start()

    def _collect(self, child: subprocess.Popen[bytes]) -> None:
        output, _ = child.communicate()
        with self.lock:
            if child is not self.child:  # cancelled by a later save
                return
            self.child = None
        try:
            card = Scorecard.from_json(json.loads(output))
        except (ValueError, KeyError, TypeError):
            return  # killed, or a check that could not start: the next save tries again
        self.show(card, compare(self.previous, card))
        self.previous = card

    def _kill(self) -> None:
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        self.child = None

    def run(self, stop: threading.Event) -> None:
        from watchfiles import watch

        self.start_run()
        try:
            for changes in watch(self.workspace, stop_event=stop, debounce=300, step=50,
                                 watch_filter=lambda _, path: relevant(path),
                                 raise_interrupt=False):
                if changes:
                    self.start_run()
        finally:
            with self.lock:
                self._kill()
