"""Run a kata's hidden pytest checks in this process, which never imports candidate code.

The plugin hands the checks their view of the candidate (`api`, `tasks`, `db`, `schema`,
`dataset`, `candidate`) as fixtures, orders the checks as the checklist does, and records each
outcome with its one-line reason.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from grader import hookspecs
from grader.candidate import CandidateRun, SchemaReport, StageFailed, TasksClient
from grader.database import GradingDatabase
from grader.kata import Kata
from grader.scoring import CheckResult

if TYPE_CHECKING:
    from grader.api import ApiClient  # httpx is imported once the app starts (candidate.py)

CHECKS_INI = Path(__file__).with_name("pytest-checks.ini")
_NOISE_PREFIXES = ("AssertionError: ", "Failed: ", "Skipped: ", "grader.candidate.StageFailed: ")


def _reason(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        text = crash.message
    elif isinstance(report.longrepr, tuple):  # a skip: (path, line, "Skipped: why")
        text = report.longrepr[2]
    else:
        text = str(report.longrepr or "")
    first = next((line for line in text.splitlines() if line.strip()), report.outcome)
    for prefix in _NOISE_PREFIXES:
        first = first.removeprefix(prefix)
    # Reasons carry candidate text, which may hold lone surrogates (from a file name or an
    # exception message): as escapes, the scorecard stays printable and valid UTF-8 JSON.
    return first.strip()[:300].encode("utf-8", "backslashreplace").decode("utf-8")


class KataChecksPlugin:
    def __init__(self, kata: Kata, run: CandidateRun, seed: int) -> None:
        self.kata, self.run, self.run_seed = kata, run, seed
        self.results: dict[str, CheckResult] = {}

    def pytest_addhooks(self, pluginmanager: pytest.PytestPluginManager) -> None:
        pluginmanager.add_hookspecs(hookspecs)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        hook = session.config.hook
        self.run.provide_data(lambda db, schema: hook.pytest_kata_setup_database(
            db=db, schema=schema, seed=self.run_seed))

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Checklist order: the debugging checks then overlap with the database preparation."""
        order = {item.id: index for index, item in enumerate(self.kata.checklist)}

        def rank(test: pytest.Item) -> int:
            owner = next((i.id for i in self.kata.checklist if i.backs(test.nodeid)), None)
            return order.get(owner, len(order)) if owner else len(order)

        items.sort(key=rank)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            if report.nodeid in self.results and report.when == "teardown":
                return  # a failed teardown does not overrule the check's own verdict
            outcome = report.outcome if report.when == "call" else (
                "skipped" if report.skipped else "error")
            message = "" if report.passed else _reason(report)
            self.results[report.nodeid] = CheckResult(
                nodeid=report.nodeid, outcome=outcome, message=message,
                duration=report.duration)

    def _wait(self, stage: Any) -> Any:
        try:
            return stage.get(self.run.deadline)
        except StageFailed as failure:
            pytest.fail(str(failure), pytrace=False)

    @pytest.fixture
    def seed(self) -> int:
        return self.run_seed

    @pytest.fixture
    def tasks(self) -> TasksClient:
        return self._wait(self.run.tasks)

    @pytest.fixture
    def schema(self) -> SchemaReport:
        return self._wait(self.run.schema)

    @pytest.fixture
    def db(self) -> GradingDatabase:
        """The grading database, once the hidden data is in."""
        self._wait(self.run.data)
        return self.run.db

    @pytest.fixture
    def dataset(self) -> Any:
        return self._wait(self.run.data)

    @pytest.fixture
    def api(self) -> ApiClient:
        return self._wait(self.run.app)

    @pytest.fixture
    def candidate(self) -> CandidateRun:
        return self.run


def _pytest_args(kata: Kata, *extra: str) -> list[str]:
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return [str(kata.checks_dir), "-c", str(CHECKS_INI), "--rootdir", str(kata.checks_dir),
            "-qq", "--no-header", "--no-summary",
            # These two call gc.collect() several times per session: 0.12 s of every grade.
            "-p", "no:unraisableexception", "-p", "no:threadexception", *extra]


def _main(args: list[str], plugin: object) -> tuple[int, str]:
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        code = pytest.main(args, plugins=[plugin])
    return code, captured.getvalue()


class _Hookspecs:
    def pytest_addhooks(self, pluginmanager: pytest.PytestPluginManager) -> None:
        pluginmanager.add_hookspecs(hookspecs)


def warm_up(kata: Kata) -> None:
    """Collect the checks once before forking graders: pytest's importlib mode reuses modules
    already in sys.modules, so each fork skips importing and assertion-rewriting them."""
    _main(_pytest_args(kata, "--collect-only"), _Hookspecs())


def run_checks(kata: Kata, run: CandidateRun, seed: int) -> list[CheckResult]:
    plugin = KataChecksPlugin(kata, run, seed)
    code, output = _main(_pytest_args(kata), plugin)
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt  # pytest caught the user's Ctrl-C; pass it on
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the hidden checks of {kata.id} could not run (pytest exit {code}):\n"
                           + output[-3000:])
    return list(plugin.results.values())
