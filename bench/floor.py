"""The benchmark's floor: the same hidden checks in one plain pytest process, with the candidate's
app and tasks imported in-process (no child processes, no sandbox, default pytest settings).

Used as a pytest plugin:  KATA_FLOOR_WORKSPACE=ref KATA_FLOOR_SEED=1 \\
    python -m pytest -p bench.floor katas/shop-api/checks -q
It feeds the checks through the grader's own KataChecksPlugin, so both sides run identical checks.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import runpy
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from grader.api import StatementMark
from grader.candidate import SchemaReport, Stage, decode_results
from grader.checks import KataChecksPlugin
from grader.database import SqliteDatabase
from grader.errors import CandidateError
from grader.sandbox import roles
from grader.sandbox.client import Exit
from grader.workspace import resolve_workspace


class LocalTasks:
    def __init__(self, module: Any) -> None:
        self.module = module

    def run(self, steps: list[tuple[str, tuple]], new: str | None = None) -> list[Any]:
        request: dict[str, Any] = {"steps": [{"call": n, "args": list(a)} for n, a in steps]}
        if new:
            request["new"] = new
        return decode_results(roles._perform(self.module, request))

    def call(self, function: str, *args: Any) -> Any:
        (result,) = self.run([(function, args)])
        if isinstance(result, CandidateError):
            raise result
        return result


class LocalApi(TestClient):
    def __init__(self, app: Any, log: roles.StatementLog) -> None:
        super().__init__(app, raise_server_exceptions=False)  # a 500, as a server answers
        self.log = log

    def statements(self) -> int:
        return self.log.count

    def statement_mark(self) -> StatementMark:
        return StatementMark(None, self.log.count)

    def statements_since(self, mark: StatementMark) -> list[str]:
        return self.log.since(mark.app or 0)


class InProcessRun:
    """What CandidateRun offers the checks, built synchronously inside this process."""

    def __init__(self, workspace: Path) -> None:
        self.kata, found = resolve_workspace(workspace)
        self.layout = self.kata.layouts[found.layout]
        self.workspace = str(workspace.resolve())
        self.run_dir = Path(tempfile.mkdtemp(prefix="kata-floor-"))
        self.db = SqliteDatabase(self.run_dir / "grade.db")
        self.deadline = time.monotonic() + 120
        self.tasks: Stage[LocalTasks] = Stage("tasks module")
        self.schema: Stage[SchemaReport] = Stage("database schema")
        self.data: Stage[Any] = Stage("hidden data")
        self.app: Stage[LocalApi] = Stage("app")
        self._seed: tuple[Exit, SqliteDatabase] | None = None

    def _env(self, db: SqliteDatabase) -> None:
        os.environ.update({k: v.format(**db.template_values())
                           for k, v in self.layout.env["sqlite"].items()})

    def provide_data(self, setup: Any) -> None:
        os.chdir(self.workspace)
        sys.path.insert(0, self.workspace)
        self._env(self.db)
        self.tasks.set(LocalTasks(importlib.import_module(self.layout.tasks)))
        report = self.run_dir / "prepare.json"
        roles.run_prepare({"models": list(self.layout.models), "report": str(report),
                           "migrations": self.layout.migrations,
                           "sync_url": self.db.sync_url()}, self.workspace)
        schema = SchemaReport.from_json(json.loads(report.read_text()))
        self.schema.set(schema)
        self._run_seed()
        self.data.set(setup(self.db, schema))
        log = roles._count_statements()
        module, _, attribute = self.layout.app.partition(":")
        self.app.set(LocalApi(getattr(importlib.import_module(module), attribute), log))

    def _run_seed(self) -> None:
        """In one process the app's engine is bound at first import, so the seed runs on the
        grading database itself; its result is copied aside and the tables emptied again."""
        code = 0
        try:
            with contextlib.redirect_stdout(None):
                runpy.run_path(self.layout.seed, run_name="__main__")
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        seeded = self.db.copy("seed-check.db")
        for table in ("orders", "products", "customers", "categories"):
            self.db.execute(f"DELETE FROM {table}")
        self._seed = (Exit(code=code, status=f"exited with status {code}", output="",
                           dropped=0), seeded)

    def seed_result(self) -> tuple[Exit, SqliteDatabase]:
        assert self._seed is not None
        return self._seed


def pytest_configure(config: pytest.Config) -> None:
    run = InProcessRun(Path(os.environ["KATA_FLOOR_WORKSPACE"]))
    seed = int(os.environ.get("KATA_FLOOR_SEED", "1"))
    config.pluginmanager.register(KataChecksPlugin(run.kata, run, seed), "kata-floor")
    config.add_cleanup(lambda: shutil.rmtree(run.run_dir, ignore_errors=True))
