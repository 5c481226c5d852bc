"""`kata check` on the candidate's workspace, from the interview app, without stopping it.

It runs as the command itself (`kata check WS --json`) in a child process of its own session:
the same entry point, warm grader and sandbox as the candidate's own check, and nothing of it
in the app's process, where grading would fight the screen for the signals, the terminal and
the main thread. The app polls `latest` while it draws; leaving the app ends the child, and its
sandbox session takes the candidate's processes with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CheckRun:
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    card: dict[str, Any] | None = None  # `kata check --json`'s scorecard
    error: str | None = None


class Checker:
    def __init__(self, workspace: str) -> None:
        self.workspace = workspace
        self.latest: CheckRun | None = None
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self.latest is not None and self.latest.finished is None

    def start(self) -> bool:
        """Start a check; False when one is still running."""
        with self._lock:
            if self.running:
                return False
            run = CheckRun()
            self.latest = run
            self._process = subprocess.Popen(
                [sys.executable, "-m", "cli", "check", self.workspace, "--json"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, start_new_session=True)
        threading.Thread(target=self._wait, args=(self._process, run), daemon=True).start()
        return True

    def _wait(self, process: subprocess.Popen[str], run: CheckRun) -> None:
        out, err = process.communicate()
        try:
            run.card = json.loads(out)
        except ValueError:
            lines = [line for line in err.splitlines() if line.strip()]
            last = lines[-1] if lines else f"kata check ended with code {process.returncode}"
            run.error = last.removeprefix("error: ")
        run.finished = time.monotonic()

    def stop(self) -> None:
        """End a check still running, and everything it started."""
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
