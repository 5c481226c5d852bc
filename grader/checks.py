"""Run a kata's hidden pytest checks in this process, which never imports candidate code.

The plugin hands the checks their view of the candidate (`api`, `tasks`, `db`, `schema`,
`dataset`, `candidate`) and what the candidate was asked (`statement`) as fixtures, orders the
checks as the checklist does, and records each outcome with its one-line reason.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from grader import hookspecs
from grader.candidate import CandidateRun, SchemaReport, TasksClient
from grader.database import GradingDatabase
from grader.errors import StageFailed, UserError
from grader.kata import Kata
from grader.scoring import CheckResult

if TYPE_CHECKING:
    from grader.api import ApiClient  # httpx is imported once the app starts (candidate.py)

CHECKS_INI = Path(__file__).with_name("pytest-checks.ini")
_NOISE_PREFIXES = ("AssertionError: ", "Failed: ", "Skipped: ", "grader.errors.StageFailed: ")


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
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


def _collect_reason(report: pytest.CollectReport) -> str:
    """The error pytest shows last ("E   SyntaxError: ..."), and the file and line it names."""
    errors = [line[1:].strip() for line in str(report.longrepr).splitlines()
              if line.startswith("E ")]
    text = errors[-1] if errors else _reason(report)
    where = next((found for line in errors
                  if (found := re.match(r'File "(.+)", line (\d+)', line))), None)
    return f"{text} ({Path(where[1]).name}:{where[2]})" if where else f"{text} ({report.nodeid})"


@dataclass(frozen=True)
class Statement:
    """What the candidate of the graded layout was asked: kata.yaml's `layouts.<name>.statement`
    (a Markdown file) and `asks` (its named rules). A check of a rule that some layout's statement
    leaves open reads the rule here, falling back to the kata's own when the layout says none."""

    layout: str
    asks: Mapping[str, str]
    path: Path | None
    text: str

    @classmethod
    def of(cls, kata: Kata, layout: str) -> Statement:
        declared = kata.layouts[layout]
        path = kata.directory / declared.statement if declared.statement else None
        return cls(layout=layout, asks=MappingProxyType(dict(declared.asks)), path=path,
                   text=declared.read_statement(kata.directory))

    def ask(self, name: str, default: str) -> str:
        """The layout's rule `name`, or `default` (the kata's own) when it declares none."""
        return self.asks.get(name, default)


class KataChecksPlugin:
    """Given the run at once, or bound to it later (PreparedChecks): its fixtures must be
    registered before the checks are collected."""

    def __init__(self, kata: Kata, run: CandidateRun | None = None, seed: int = 0) -> None:
        self.kata, self.run_seed = kata, seed
        self._run = run
        self.results: dict[str, CheckResult] = {}
        self.collect_errors: list[str] = []
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

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(_collect_reason(report))

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

    # The fixtures are session-scoped, and a session is one run (PreparedChecks): a check and a
    # fixture of any scope may use them. One that fails fails every check that needs it, alike.

    @pytest.fixture(scope="session")
    def seed(self) -> int:
        return self.run_seed

    @pytest.fixture(scope="session")
    def tasks(self) -> TasksClient:
        return self._wait(self.run.tasks)

    @pytest.fixture(scope="session")
    def schema(self) -> SchemaReport:
        return self._wait(self.run.schema)

    @pytest.fixture(scope="session")
    def db(self) -> GradingDatabase:
        """The grading database, once the hidden data is in."""
        self._wait(self.run.data)
        return self.run.db

    @pytest.fixture(scope="session")
    def dataset(self) -> Any:
        return self._wait(self.run.data)

    @pytest.fixture(scope="session")
    def api(self) -> ApiClient:
        return self._wait(self.run.app)

    @pytest.fixture(scope="session")
    def candidate(self) -> CandidateRun:
        return self.run

    @pytest.fixture(scope="session")
    def statement(self) -> Statement:
        """What this run's layout asked of the candidate."""
        return Statement.of(self.run.kata, _layout_name(self.run))


def _layout_name(run: CandidateRun) -> str:
    """The name kata.yaml gives the run's layout (the run holds the declaration itself)."""
    layouts = run.kata.layouts
    return next((name for name, layout in layouts.items() if layout is run.layout), None) or \
        next(name for name, layout in layouts.items() if layout == run.layout)


def _pytest_args(kata: Kata) -> list[str]:
    """The hidden checks' own settings, and none of the user's: PYTEST_ADDOPTS="-x" from an
    interviewer's shell would otherwise stop them at the first miss and lose the rest."""
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    for name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
        os.environ.pop(name, None)
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
        try:
            with self._quiet():
                self.config = _prepareconfig(_pytest_args(kata), plugins=[self.plugin])
                self.config._do_configure()
                self.session = pytest.Session.from_config(self.config)
                self.config.hook.pytest_sessionstart(session=self.session)
                self.config.hook.pytest_collection(session=self.session)
        except Exception as error:  # noqa: BLE001 - a conftest.py that does not import, say
            first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise UserError(f"the checks of kata {kata.id} do not load: {first}") from None
        finally:
            self.modules = _take_modules_of(kata)
        if self.session.testsfailed:  # the kata's own files, as a malformed kata.yaml would be
            first = self.plugin.collect_errors[0] if self.plugin.collect_errors else "?"
            raise UserError(f"the checks of kata {kata.id} do not load: {first}")

    def _quiet(self) -> contextlib.ExitStack:
        stack = contextlib.ExitStack()
        stack.enter_context(contextlib.redirect_stdout(self.output))
        stack.enter_context(contextlib.redirect_stderr(self.output))
        return stack

    def run(self, run: CandidateRun, seed: int) -> list[CheckResult]:
        sys.modules.update(self.modules)  # for what the checks import as they run
        sys.path.insert(0, str(self.kata.checks_dir))
        try:
            self.plugin.bind(run, seed)
            with self._quiet():
                self.config.hook.pytest_runtestloop(session=self.session)
        finally:  # a grader may run another kata's checks next (see _take_modules_of)
            sys.path.remove(str(self.kata.checks_dir))
            _take_modules_of(self.kata)
        return list(self.plugin.results.values())


def _take_modules_of(kata: Kata) -> dict[str, ModuleType]:
    """Remove the kata's own modules (its checks, conftest and helpers) from sys.modules.

    Katas may well name their files alike (test_products.py, helpers.py), and pytest's
    importlib mode reuses a module of that name already imported: another kata prepared in the
    same process would silently run this one's checks. The prepared session keeps the modules.
    """
    folder = str(kata.checks_dir) + os.sep
    own = {name: module for name, module in sys.modules.items()
           if (getattr(module, "__file__", None) or "").startswith(folder)}
    for name in own:
        del sys.modules[name]
    return own


_prepared: dict[str, PreparedChecks] = {}


def prepare_checks(kata: Kata) -> None:
    """Configure and collect the kata's checks for the graders this process will fork."""
    _prepared[kata.id] = PreparedChecks(kata)


def run_checks(kata: Kata, run: CandidateRun, seed: int) -> list[CheckResult]:
    prepared = _prepared.pop(kata.id, None) or PreparedChecks(kata)
    return prepared.run(run, seed)
