"""What a candidate process does once fenced in: the only module that imports candidate code.

Each role reports failures as one line starting with `KATA-ERROR:` (the grader shows it as the
reason; a forged line can only change a message, never a score) and exits non-zero.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sys
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from grader.sandbox import wire

EXIT_CANDIDATE_ERROR = 3


def describe_exception(error: BaseException, workspace: str) -> str:
    """One line: the exception and the innermost frame inside the workspace, path relative."""
    where = ""
    if isinstance(error, SyntaxError) and error.filename:
        where = f" ({_relative(error.filename, workspace)}:{error.lineno})"
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename.startswith(workspace + os.sep)]
        if frames:
            where = f" ({_relative(frames[-1].filename, workspace)}:{frames[-1].lineno})"
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}{': ' + message if message else ''}{where}"


def _relative(path: str, workspace: str) -> str:
    try:
        return str(Path(path).relative_to(workspace))
    except ValueError:
        return Path(path).name


def _fail(message: str) -> None:
    sys.stdout.flush()
    os.write(2, f"\nKATA-ERROR: {message}\n".encode())
    os._exit(EXIT_CANDIDATE_ERROR)


def _import(module: str, workspace: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except BaseException as error:  # candidate code may raise anything, SystemExit included
        _fail(f"{what} {module} failed to import: {describe_exception(error, workspace)}")


# --- app: serve the candidate's ASGI app with uvicorn on a Unix socket -------------------------

PROBE_PATH = "/__kata__/sql-statements"
# The texts the app role keeps of its latest statements, and how much of each: enough for a
# check to read one request's SQL (its COUNT, its LIMIT), bounded whatever the app runs.
STATEMENT_TEXTS_KEPT = 64
STATEMENT_TEXT_CHARS = 2000


class StatementLog:
    """Every SQL statement the engines of this process run: counted, the latest texts kept
    (SQLite's evidence of what a request ran; PostgreSQL's server keeps its own)."""

    def __init__(self) -> None:
        self.count = 0
        self.recent: deque[tuple[int, str]] = deque(maxlen=STATEMENT_TEXTS_KEPT)

    def add(self, statement: str) -> None:
        self.count += 1
        self.recent.append((self.count, statement[:STATEMENT_TEXT_CHARS]))

    def since(self, mark: int) -> list[str]:
        """The kept texts of the statements after the `mark`-th, oldest first."""
        return [text for number, text in self.recent if number > mark]


def _count_statements() -> StatementLog:
    """Record the SQL statements of every engine in this process."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    log = StatementLog()

    def before_cursor_execute(_conn: object, _cursor: object, statement: str,
                              *_: object) -> None:
        log.add(str(statement))

    event.listen(Engine, "before_cursor_execute", before_cursor_execute)
    return log


def _with_probe(app: Any, log: StatementLog) -> Any:
    """The app, answering PROBE_PATH itself: `{"statements": count}`, and with `?since=N` the
    texts of the statements after the N-th that are still kept."""

    async def probed(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == PROBE_PATH:
            answer: dict[str, Any] = {"statements": log.count}
            since = parse_qs(scope.get("query_string", b"").decode()).get("since", [""])[0]
            if since.isdigit():
                answer["texts"] = log.since(int(since))
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": json.dumps(answer).encode()})
            return
        await app(scope, receive, send)

    return probed


def run_app(args: dict[str, Any], workspace: str) -> None:
    import uvicorn

    statements = _count_statements()
    module_name, _, attribute = args["entry"].partition(":")
    module = _import(module_name, workspace, "the app module")
    app = getattr(module, attribute, None)
    if app is None:
        _fail(f"{module_name} has no attribute {attribute!r} (expected the FastAPI app)")
    config = uvicorn.Config(_with_probe(app, statements), uds=args["socket"], lifespan="auto",
                            log_level="warning", access_log=False)
    uvicorn.Server(config).run()


# --- rpc: call functions and methods of a candidate module for the checks ----------------------

def _perform(module: Any, request: dict[str, Any],
             announce: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Run a request's steps in order; a step that raises is reported, later steps still run.
    `announce` hears the name of each callable just before it runs."""
    results: list[dict[str, Any]] = []
    target: Any = None
    announce = announce or (lambda _: None)
    if "new" in request:
        announce(request["new"])
        try:
            target = getattr(module, request["new"])()
        except BaseException as error:  # noqa: BLE001 - candidate code
            return [{"ok": False, "error": describe_exception(error, os.getcwd())}]
    for step in request["steps"]:
        owner = target if target is not None else module
        announce(step["call"])
        try:
            value = getattr(owner, step["call"])(*step.get("args", []), **step.get("kwargs", {}))
            results.append({"ok": True, "value": wire.encode(value)})
        except BaseException as error:  # noqa: BLE001 - candidate code
            results.append({"ok": False, "error": describe_exception(error, os.getcwd())})
    return results


def run_rpc(args: dict[str, Any], workspace: str) -> None:
    """Serve requests on a Unix socket; each connection is handled in its own fork, so one that
    hangs or crashes affects only its own check.

    The handler names each callable as it starts it (`{"running": name}` lines before the
    `{"results": ...}` line; once for a run of calls to the same one, such as forty
    `add_action`), so the grader knows which one hung; and it dies of SIGALRM once
    the grader has stopped waiting, instead of spinning until the end of the session.
    """
    module = _import(args["module"], workspace, "the module")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(args["socket"])
    server.listen(16)
    while True:
        connection, _ = server.accept()
        if os.fork() == 0:
            server.close()
            signal.alarm(int(args.get("call_seconds", 0)))
            _answer(connection, module)
            os._exit(0)
        connection.close()
        _reap()


def _answer(connection: socket.socket, module: Any) -> None:
    """In a fresh fork of the module: perform one request, naming the callables as it goes."""
    announced: list[str] = []
    with connection, connection.makefile("rwb") as stream:

        def announce(name: str) -> None:
            if announced[-1:] != [name]:  # once for a run of calls to the same one
                announced.append(name)
                stream.write(json.dumps({"running": name}).encode() + b"\n")
                stream.flush()

        request = json.loads(stream.readline())
        results = _perform(module, request, announce)
        stream.write(json.dumps({"results": results}).encode() + b"\n")
        stream.flush()


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


# --- prepare: import the models, create the schema, report what was found ----------------------

def _column_report(column: Any) -> dict[str, Any]:
    return {
        "type": str(column.type), "primary_key": bool(column.primary_key),
        "nullable": bool(column.nullable), "unique": bool(column.unique),
        "foreign_keys": sorted(fk.target_fullname for fk in column.foreign_keys),
    }


def _models_report(modules: list[Any]) -> tuple[dict[str, Any], list[Any]]:
    from sqlalchemy import MetaData
    from sqlalchemy.orm import Mapper

    mappers: dict[str, Mapper] = {}
    metadatas: list[MetaData] = []
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, MetaData) and value not in metadatas:
                metadatas.append(value)
            mapper = getattr(value, "__mapper__", None)
            if isinstance(mapper, Mapper):
                for known in mapper.registry.mappers:
                    mappers[known.class_.__name__] = known
    classes: dict[str, Any] = {}
    for name, mapper in sorted(mappers.items()):
        table = mapper.local_table
        if table.metadata not in metadatas:
            metadatas.append(table.metadata)
        classes[name] = {
            "table": table.name,
            "columns": {c.name: _column_report(c) for c in table.columns},
            "relationships": {
                rel.key: {"target": rel.mapper.class_.__name__, "direction": rel.direction.name,
                          "back_populates": rel.back_populates or
                          (rel.backref if isinstance(rel.backref, str) else None)}
                for rel in mapper.relationships
            },
        }
    return classes, metadatas


def run_prepare(args: dict[str, Any], workspace: str) -> None:
    """Create the grading schema: the workspace's own migrations, else the models' metadata."""
    report: dict[str, Any] = {"models_error": None, "classes": {}, "migrations": None,
                              "migrations_error": None, "created_from_metadata": False}
    modules = []
    for name in args["models"]:
        try:
            modules.append(importlib.import_module(name))
        except BaseException as error:  # noqa: BLE001 - candidate code
            report["models_error"] = f"{name}: {describe_exception(error, workspace)}"
            break
    metadatas: list[Any] = []
    if not report["models_error"]:
        try:
            from sqlalchemy.orm import configure_mappers

            configure_mappers()
            report["classes"], metadatas = _models_report(modules)
        except BaseException as error:  # noqa: BLE001 - candidate code
            report["models_error"] = f"mapping failed: {describe_exception(error, workspace)}"
    migrations = args.get("migrations")
    if migrations and Path(workspace, migrations).is_file():
        report["migrations"] = migrations
        try:
            from alembic import command
            from alembic.config import Config

            command.upgrade(Config(str(Path(workspace, migrations))), "head")
        except BaseException as error:  # noqa: BLE001 - candidate code
            report["migrations_error"] = describe_exception(error, workspace)
    if (report["migrations"] is None or report["migrations_error"]) and metadatas:
        try:
            from sqlalchemy import create_engine

            engine = create_engine(args["sync_url"])
            for metadata in metadatas:
                metadata.create_all(engine, checkfirst=True)
            engine.dispose()
            report["created_from_metadata"] = True
        except BaseException as error:  # noqa: BLE001 - candidate code
            report["metadata_error"] = describe_exception(error, workspace)
    Path(args["report"]).write_text(json.dumps(report), encoding="utf-8")


# --- script: run a workspace script such as the seed ---------------------------------------------

def run_script(args: dict[str, Any], workspace: str) -> None:
    import runpy

    sys.argv = [args["path"]]
    try:
        runpy.run_path(args["path"], run_name="__main__")
    except SystemExit as done:
        if done.code not in (None, 0):
            _fail(f"{args['path']} exited with status {done.code}")
    except BaseException as error:  # noqa: BLE001 - candidate code
        _fail(f"{args['path']} failed: {describe_exception(error, workspace)}")


# --- tests: the workspace's own tests, on a copy with the grader's files over it -----------------

def run_tests(args: dict[str, Any], workspace: str) -> None:
    """`workspace` is the copy (grader/own_tests.py): filled here, as the candidate, from the
    workspace and then the grader's overlay; pytest's outcomes go to the report."""
    import shutil

    import pytest

    shutil.copytree(args["source"], workspace, symlinks=True, dirs_exist_ok=True)
    shutil.copytree(args["overlay"], workspace, dirs_exist_ok=True)
    importlib.invalidate_caches()  # the folder was listed before it was filled
    counts = {"passed": 0, "failed": 0, "errors": 0, "first_failure": ""}

    class Outcomes:
        def _failed(self, report: Any, key: str) -> None:
            counts[key] += 1
            crash = getattr(report.longrepr, "reprcrash", None)
            lines = [line for line in str(report.longrepr).splitlines() if line.startswith("E ")]
            why = crash.message if crash else (lines[-1][1:].strip() if lines else key)
            if not counts["first_failure"]:
                counts["first_failure"] = f"{report.nodeid}: {why}"

        def pytest_runtest_logreport(self, report: Any) -> None:
            if report.when == "call" and report.passed:
                counts["passed"] += 1
            elif report.when == "call" and report.failed:
                self._failed(report, "failed")
            elif report.failed:
                self._failed(report, "errors")

        def pytest_collectreport(self, report: Any) -> None:
            if report.failed:
                self._failed(report, "errors")

    ignore = [f"--ignore={path}" for path in args.get("ignore", [])]
    code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", workspace, *ignore,
                        "tests"], plugins=[Outcomes()])
    Path(args["report"]).write_text(json.dumps({"exit": int(code), **counts}),
                                    encoding="utf-8")


ROLES = {"app": run_app, "rpc": run_rpc, "prepare": run_prepare, "script": run_script,
         "tests": run_tests}
