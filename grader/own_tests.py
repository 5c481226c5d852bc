"""The candidate's own tests, run by the grader: on their app, and on implementations the kata
holds (a correct one, and broken ones their tests should catch).

Each run is a copy of the workspace made inside the sandbox, with the kata's files written over
it, and the workspace's pytest run there by the `tests` role, as the candidate. The files the
grader writes live in a folder of the sandbox that candidate code may read but not change.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.candidate import CandidateRun
from grader.errors import StageFailed
from grader.sandbox.client import Process
from grader.sandbox.fsuid import acting_as, read_candidate_file

REPORT_MAX_BYTES = 1 << 20
TESTS_SHARE = 0.5  # of the time left: the candidate's test runs may take at most this


@dataclass(frozen=True)
class OwnTestsReport:
    """What one run of the workspace's tests gave: pytest's exit code and the outcomes."""

    name: str
    exit_code: int
    passed: int
    failed: int
    errors: int
    output: str  # the last lines pytest printed, for a check's reason

    @property
    def ran(self) -> int:
        return self.passed + self.failed + self.errors

    @property
    def green(self) -> bool:
        return self.passed > 0 and self.failed == 0 and self.errors == 0

    def summary(self) -> str:
        return (f"{self.passed} passed, {self.failed} failed, {self.errors} errors"
                + (f" ({self.output})" if self.output and not self.green else ""))


def run_own_tests(run: CandidateRun, overlays: Mapping[str, Mapping[str, str] | None],
                  ignore: tuple[str, ...] = ()) -> dict[str, OwnTestsReport]:
    """The workspace's tests (`tests/`, without `ignore`, paths relative to the workspace), once
    per overlay, all at once: each on a copy with that overlay (path: text; None for none)
    written over it. Raises StageFailed when one could not run at all (a hang, a crash)."""
    started = {name: _start(run, f"run-{index}", overlay or {}, ignore)
               for index, (name, overlay) in enumerate(overlays.items())}
    wait_until = time.monotonic() + max(run.deadline - time.monotonic(), 0) * TESTS_SHARE
    return {name: _finish(run, name, process, report, wait_until)
            for name, (process, report) in started.items()}


def _start(run: CandidateRun, folder: str, overlay: Mapping[str, str],
           ignore: tuple[str, ...]) -> tuple[Process, Path]:
    held = run.folder.root / f"held-{folder}"  # the grader's folder: readable, not writable
    held.mkdir(mode=0o755)
    for relative, text in overlay.items():
        path = held / relative
        path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.chmod(path, 0o644)
    target = run.folder.run / "own-tests" / folder
    report = run.folder.run / f"own-tests-{folder}.json"
    with acting_as(run.policy.uid):  # the run folder is the candidate's
        (target / "data").mkdir(parents=True)
    process = run.spawn("tests", {"source": str(run.folder.workspace), "overlay": str(held),
                                  "ignore": list(ignore), "report": str(report)},
                        workspace=target, data_dir=target / "data")
    return process, report


def _finish(run: CandidateRun, name: str, process: Process, report: Path,
            wait_until: float) -> OwnTestsReport:
    exit_ = process.wait(max(wait_until - time.monotonic(), 0))
    if exit_ is None:
        raise StageFailed(f"the workspace's tests on {name} did not finish in time")
    try:
        data = json.loads(read_candidate_file(report, run.policy.uid, REPORT_MAX_BYTES))
    except (OSError, ValueError):
        raise StageFailed(f"the workspace's tests on {name} could not run: "
                          f"{exit_.reason()}") from None
    return OwnTestsReport(name=name, exit_code=int(data.get("exit", -1)),
                          passed=int(data.get("passed", 0)), failed=int(data.get("failed", 0)),
                          errors=int(data.get("errors", 0)),
                          output=str(data.get("first_failure", ""))[:200])


def files_of(folder: Path) -> dict[str, str]:
    """The text files of a folder, by path relative to it: an overlay for run_own_tests."""
    return {str(path.relative_to(folder)): path.read_text(encoding="utf-8")
            for path in sorted(folder.rglob("*.py")) if "__pycache__" not in path.parts}
