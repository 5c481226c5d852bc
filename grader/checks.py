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
    """Given the run at once, or bound to it later (PreparedChecks): its fixtures must be
    registered before the checks are collected."""

    def __init__(self, kata: Kata, run: CandidateRun | None = None, seed: int = 0) -> None:
        self.kata, self.run_seed = kata, seed
        self._run = run
        self.results: dict[str, CheckResult] = {}
        self.hook: Any = None

    @property
    def run(self) -> CandidateRun:
        assert self._run is not None, "the checks run before they were bound to a run"
        return self._run

    def bind(self, run: CandidateRun, seed: int) -> None:
        self._run, self.run_seed = run, seed
        self.results = {}
        self._provide_data()

    def _provide_data(self) -> None:
        hook = self.hook
        self.run.provide_data(lambda db, schema: hook.pytest_kata_setup_database(
            db=db, schema=schema, seed=self.run_seed))

    def pytest_addhooks(self, pluginmanager: pytest.PytestPluginManager) -> None:
        pluginmanager.add_hookspecs(hookspecs)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.hook = session.config.hook
        if self._run is not None:
            self._provide_data()

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


def _pytest_args(kata: Kata) -> list[str]:
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return [str(kata.checks_dir), "-c", str(CHECKS_INI), "--rootdir", str(kata.checks_dir),
            "-qq", "--no-header", "--no-summary",
            # These two call gc.collect() several times per session: 0.12 s of every grade.
            "-p", "no:unraisableexception", "-p", "no:threadexception",
            # The checks print nothing worth keeping; what they might goes to PreparedChecks'
            # buffer. pytest's own capture would also share its temporary file between forks.
            "--capture=no"]


class PreparedChecks:
    """A kata's checks configured and collected: all pytest.main does before running them.

    A process that forks graders prepares them once (prepare_checks), so that each fork only
    runs them and skips pytest's set-up, some 60 ms of CPU a grade. Running changes the
    session, so one preparation serves one run: a fork's copy, or a grader's own.
    """

    def __init__(self, kata: Kata) -> None:
        # No public API stops after collection: these are the steps of pytest.main (in
        # _pytest.main.wrap_session) up to the test loop. pytest is pinned below 10 for this.
        from _pytest.config import _prepareconfig

        self.kata = kata
        self.plugin = KataChecksPlugin(kata)
        self.output = io.StringIO()
        with self._quiet():
            self.config = _prepareconfig(_pytest_args(kata), plugins=[self.plugin])
            self.config._do_configure()
            self.session = pytest.Session.from_config(self.config)
            self.config.hook.pytest_sessionstart(session=self.session)
            self.config.hook.pytest_collection(session=self.session)
        if self.session.testsfailed:
            raise RuntimeError(f"the hidden checks of {kata.id} could not be collected:\n"
                               + self.output.getvalue()[-3000:])

    def _quiet(self) -> contextlib.ExitStack:
        stack = contextlib.ExitStack()
        stack.enter_context(contextlib.redirect_stdout(self.output))
        stack.enter_context(contextlib.redirect_stderr(self.output))
        return stack

    def run(self, run: CandidateRun, seed: int) -> list[CheckResult]:
        self.plugin.bind(run, seed)
        with self._quiet():
            self.config.hook.pytest_runtestloop(session=self.session)
        return list(self.plugin.results.values())


_prepared: dict[str, PreparedChecks] = {}


def prepare_checks(kata: Kata) -> None:
    """Configure and collect the kata's checks for the graders this process will fork."""
    _prepared[kata.id] = PreparedChecks(kata)


def run_checks(kata: Kata, run: CandidateRun, seed: int) -> list[CheckResult]:
    prepared = _prepared.pop(kata.id, None) or PreparedChecks(kata)
    return prepared.run(run, seed)
