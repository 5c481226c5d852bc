"""One submission's candidate processes, started in the order the checks need them.

The tasks module is served at once; meanwhile the schema is created by the workspace's own
migrations, the kata fills it with hidden data, and only then is the app started. Checks wait on
the stage they need, so the debugging checks run while the database is still being prepared.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from grader.database import GradingDatabase, run_sql_seed
from grader.errors import CandidateError, StageFailed, time_left
from grader.kata import FOLDERS_TEMPLATE, Kata, Layout
from grader.sandbox import wire
from grader.sandbox.client import NOT_LISTENING, Exit, Process, Session, wait_for_socket
from grader.sandbox.folder import SandboxFolder
from grader.sandbox.fsuid import acting_as, read_candidate_file
from grader.sandbox.memory import MemoryUse, tree_memory
from grader.sandbox.policy import Policy

if TYPE_CHECKING:
    from grader.api import ApiClient
    from grader.sandbox.cgroup import SubmissionCgroup

T = TypeVar("T")
CALL_TIMEOUT = 3.0
RESTART_GRACE = 3.0  # seconds an app being restarted has to stop by itself
# Each start-up step (importing the tasks module, the schema, the seed, starting the app) gets at
# most this share of the time limit, and never less than the floor: a step that hangs must not
# use up the time the checks of every other item need.
STARTUP_SHARE = 0.25
STARTUP_FLOOR = 8.0
REPORT_MAX_BYTES = 16 << 20
LIST_MAX = 10_000  # entries of list_files: a submission may make millions


class Stage(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self.created = time.monotonic()
        self.seconds: float | None = None  # from creation to ready or failed
        self._done = threading.Event()
        self._value: T | None = None
        self._error: str | None = None

    def set(self, value: T) -> None:
        self._value = value
        self._finish()

    def fail(self, reason: str) -> None:
        self._error = reason
        self._finish()

    def _finish(self) -> None:
        self.seconds = time.monotonic() - self.created
        self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def peek(self) -> T | None:
        """The value if the stage succeeded, without waiting."""
        return self._value if self._done.is_set() else None

    def get(self, deadline: float) -> T:
        if not self._done.wait(max(deadline - time.monotonic(), 0)):
            raise StageFailed(f"{self.name} was not ready before the time limit")
        if self._error is not None:
            raise StageFailed(self._error)
        return self._value  # type: ignore[return-value]


@dataclass
class SchemaReport:
    """What the candidate's models declare (from inside) and how the schema was created."""

    classes: dict[str, Any]
    models_error: str | None
    migrations: str | None
    migrations_error: str | None
    created_from_metadata: bool
    missing_tables_created: list[str] = field(default_factory=list)

    @classmethod
    def none(cls) -> SchemaReport:
        """A layout whose schema the grader does not make (the data hook still gets one)."""
        return cls(classes={}, models_error=None, migrations=None, migrations_error=None,
                   created_from_metadata=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SchemaReport:
        """From the prepare role's report (roles.run_prepare)."""
        return cls(classes=data.get("classes", {}), models_error=data.get("models_error"),
                   migrations=data.get("migrations"),
                   migrations_error=data.get("migrations_error"),
                   created_from_metadata=bool(data.get("created_from_metadata")))


def decode_results(results: list[dict[str, Any]]) -> list[Any]:
    """Each step's value, or a CandidateError where the candidate's code raised."""
    return [wire.decode(r["value"]) if r["ok"] else CandidateError(r["error"]) for r in results]


class TasksClient:
    """Calls into the candidate's tasks module, one fresh forked handler per request.

    A function or class that did not return within CALL_TIMEOUT is not called again (the
    handler names each callable as it starts it, so the one that hung is known): later checks
    that need it fail at once, instead of each waiting CALL_TIMEOUT out of the time limit
    every other item needs.
    """

    def __init__(self, path: Path, deadline: float, uid: int | None = None) -> None:
        self.path, self.deadline, self.uid = path, deadline, uid
        self.hung: set[str] = set()

    def run(self, steps: list[tuple[str, tuple]], new: str | None = None) -> list[Any]:
        """Results of each step in order; a step that raised gives a CandidateError."""
        names = [new] if new else []
        names += [name for name, _ in steps]
        if hung := next((name for name in names if name in self.hung), None):
            raise CandidateError(f"{hung} did not return within {CALL_TIMEOUT:g} s earlier in "
                                 "this run; not called again")
        request: dict[str, Any] = {"steps": [{"call": name, "args": [wire.encode(a) for a in args]}
                                             for name, args in steps]}
        if new:
            request["new"] = new
        running: str | None = None
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(time_left(self.deadline, CALL_TIMEOUT))
            try:
                with acting_as(self.uid):  # the socket's folder is the candidate's
                    connection.connect(str(self.path))
                connection.sendall(json.dumps(request).encode() + b"\n")
                with connection.makefile("rb") as stream:
                    for line in stream:
                        message = json.loads(line)
                        if "running" in message:
                            running = str(message["running"])
                        else:
                            return decode_results(message["results"])
            except TimeoutError:
                if running is not None:
                    self.hung.add(running)
                what = running or "the call"
                raise CandidateError(f"{what} did not return within {CALL_TIMEOUT:g} s") from None
        raise CandidateError("the call crashed the worker process")

    def call(self, function: str, *args: Any) -> Any:
        (result,) = self.run([(function, args)])
        if isinstance(result, CandidateError):
            raise result
        return result


SetupData = Callable[[GradingDatabase, SchemaReport], Any]


class CandidateRun:
    """One submission's processes, started as its layout declares (Layout.stages).

    Checks reach what they need through the stages: a stage the layout does not declare has
    failed from the start, with the reason, so a check of it fails at once instead of waiting.
    """

    def __init__(self, *, kata: Kata, layout: Layout, folder: SandboxFolder, session: Session,
                 policy: Policy, db: GradingDatabase | None, deadline: float,
                 cgroup: SubmissionCgroup | None = None) -> None:
        self.kata, self.layout, self.folder, self.cgroup = kata, layout, folder, cgroup
        self.session, self.policy, self.db, self.deadline = session, policy, db, deadline
        self.secret = secrets.token_hex(16)  # `{secret}` in the layout's env
        self.data_dir = folder.run / "data"  # `{data_dir}`: the app's own files, kept
        # `{folders[NAME]}`: the layout's folders, made empty before the app starts
        self.folders = MappingProxyType({name: folder.run / "folders" / name
                                         for name in layout.folders})
        self.tasks: Stage[TasksClient] = Stage("tasks module")
        self.schema: Stage[SchemaReport] = Stage("database schema")
        self.data: Stage[Any] = Stage("hidden data")
        self.app: Stage[ApiClient] = Stage("app")
        self._setup: Stage[SetupData] = Stage("the checks")
        for name, reason in self._undeclared().items():
            getattr(self, name).fail(reason)
        self._threads: list[threading.Thread] = []
        self._seed: Process | None = None
        self._seed_started = 0.0
        self._seed_error: str | None = None
        self._seed_db: GradingDatabase | None = None
        self._app_process: Process | None = None
        self._spawned = 0
        self.startup = max(STARTUP_FLOOR, (deadline - time.monotonic()) * STARTUP_SHARE)

    def _undeclared(self) -> dict[str, str]:
        """The stages this layout does not start, and what a check that needs one is told."""
        declared = self.layout.stages
        reasons = {"tasks": "this layout has no tasks module",
                   "schema": "this layout declares no models or migrations",
                   "data": "this layout is graded without a database"}
        return {name: reason for name, reason in reasons.items() if name not in declared}

    def _startup_deadline(self, since: float) -> float:
        """When a start-up step begun at `since` has taken too long (see STARTUP_SHARE)."""
        return min(self.deadline, since + self.startup)

    def _too_slow(self, what: str, deadline: float) -> str:
        if deadline < self.deadline:
            return f"{what} within {self.startup:.0f} s"
        return f"{what} before the time limit"

    def _environment(self, db: GradingDatabase | None, extra: Mapping[str, str],
                     data_dir: Path | None = None) -> dict[str, str]:
        kind = db.kind if db is not None else "none"
        values = {"data_dir": str(data_dir or self.data_dir), "secret": self.secret,
                  FOLDERS_TEMPLATE: {name: str(path) for name, path in self.folders.items()},
                  **(db.template_values() if db is not None else {})}
        templates = self.layout.env.get(kind, {})  # type: ignore[call-overload]
        return {**{name: value.format(**values) for name, value in templates.items()}, **extra}

    def spawn(self, role: str, args: dict[str, Any], db: GradingDatabase | None = None,
              extra_env: Mapping[str, str] = MappingProxyType({}),
              workspace: Path | None = None, data_dir: Path | None = None) -> Process:
        """Start a role (grader/sandbox/roles.py) in this run's sandbox: in `workspace` (the
        workspace copy unless given, a folder of the sandbox), with the layout's environment
        for `db` (the run's unless given) and `data_dir`, and `extra_env` on top."""
        self._spawned += 1
        cgroup = tuple(self.cgroup.role_procs(role)) if self.cgroup else ()
        spec = self.policy.spec(role, cgroup_procs=cgroup, root=str(self.folder.root),
                                workspace=str(workspace or self.folder.workspace),
                                home=str(self.folder.home),
                                env=self._environment(db or self.db, extra_env, data_dir),
                                args=args)
        return self.session.spawn(f"{role}-{self._spawned}", spec)

    def _serve(self, role: str, args: dict[str, Any], socket_name: str,
               meanwhile: Callable[[], object] = lambda: None,
               extra_env: Mapping[str, str] = MappingProxyType({}),
               ) -> tuple[Path, Process, str | None]:
        """Start a server role and wait until it listens, doing `meanwhile` as it starts."""
        path = self.folder.run / socket_name
        process = self.spawn(role, {**args, "socket": str(path)}, extra_env=extra_env)
        limit = self._startup_deadline(time.monotonic())
        meanwhile()
        error = wait_for_socket(path, process, limit, uid=self.policy.uid)
        if error == NOT_LISTENING:
            error = self._too_slow("did not start listening", limit)
        return path, process, error

    def start(self) -> None:
        """Serve the tasks module and build the rest at once, in the background; the hidden
        data and the app follow once the checks have provided their data hook."""
        with acting_as(self.policy.uid):  # the candidate's, as if its app had made them
            self.data_dir.mkdir(exist_ok=True)
            for path in self.folders.values():
                path.mkdir(parents=True, exist_ok=True)
        targets = [self._serve_tasks] if "tasks" in self.layout.stages else []
        self._threads = [threading.Thread(target=target, daemon=True)
                         for target in (*targets, self._pipeline)]
        for thread in self._threads:
            thread.start()

    def provide_data(self, setup_data: SetupData) -> None:
        self._setup.set(setup_data)

    def _serve_tasks(self) -> None:
        module = self.layout.tasks
        try:
            path, _, error = self._serve("rpc", {"module": module,
                                                 "call_seconds": int(CALL_TIMEOUT) + 2},
                                         "tasks.sock")
        except Exception as error:  # noqa: BLE001 - never leave the checks waiting
            self.tasks.fail(f"the grader could not start {module}.py: {error}")
            return
        if error:
            self.tasks.fail(f"{module}.py: {error}")
        else:
            self.tasks.set(TasksClient(path, self.deadline, self.policy.uid))

    def _pipeline(self) -> None:
        """Schema, then data, then app; whatever fails, every stage still waiting learns why."""
        try:
            self._build()
        except StageFailed as failure:
            self._fail_waiting(str(failure))
        except Exception as error:  # noqa: BLE001 - shown as the reason on the waiting checks
            self._fail_waiting(f"the grader could not prepare this submission: {error}")

    def _fail_waiting(self, reason: str) -> None:
        for stage in (self.schema, self.data, self.app):
            if not stage.done:
                stage.fail(reason)

    def _build(self) -> None:
        stages = self.layout.stages
        report = SchemaReport.none()
        if "schema" in stages:
            report = self._prepare()
            self.schema.set(report)
        if "data" in stages:
            self._start_seed()
            assert self.db is not None  # a layout with a data stage has a database
            try:
                self.data.set(self._setup.get(self.deadline)(self.db, report))
            except StageFailed:
                raise
            except Exception as error:  # noqa: BLE001 - a data failure is the submission's
                raise StageFailed(f"the hidden data could not be loaded: {error}") from None
        self.app.set(self._start_app({}, lambda: importlib.import_module("grader.api")))

    def _start_seed(self) -> None:
        """The seed runs on an empty copy of the schema while the hidden data loads."""
        if not self.layout.seed or self.db is None:
            return
        try:
            self._seed_db = self.db.copy("seed-check.db")
        except Exception as error:  # noqa: BLE001 - the folder is the candidate's: a link or
            # a file it left where the copy goes costs the seed check only, not the rest
            self._seed_error = f"the seed's empty database could not be made: {error}"
        if self._seed_db is not None and not self.layout.seed.endswith(".sql"):
            self._seed_started = time.monotonic()  # SQL seeds: see seed_result
            self._seed = self.spawn("script", {"path": self.layout.seed}, db=self._seed_db)

    def _start_app(self, extra_env: Mapping[str, str],
                   meanwhile: Callable[[], object] = lambda: None) -> ApiClient:
        module = self.layout.app.split(":")[0]
        path, self._app_process, error = self._serve(
            "app", {"entry": self.layout.app}, "app.sock", meanwhile=meanwhile,
            extra_env=extra_env)
        if error:
            raise StageFailed(f"the app ({module}) did not start: {error}")
        from grader.api import ApiClient  # httpx: imported while the app started

        return self.app.peek() or ApiClient(path, self.db, self.deadline, self.policy.uid,
                                            self.kata.limits.request_seconds)

    def restart_app(self, extra_env: Mapping[str, str] = MappingProxyType({})) -> None:
        """Stop the app (SIGTERM, SIGKILL after RESTART_GRACE s) and start it anew on the same
        socket, folder and database, with `extra_env` on top of the layout's: a check of what
        survives a restart, or of what a setting such as API_TOKEN changes. The `api` client
        then speaks to the new app."""
        client = self.app.get(self.deadline)
        self._stop_app()
        client.forget_failures()
        self._start_app(extra_env)

    @contextmanager
    def app_paused(self) -> Iterator[None]:
        """The app stopped for the block, and started again after as the layout starts it: no
        process of the candidate's runs beside what the block starts. An app that never
        started stays so."""
        try:
            client = self.app.get(self.deadline)
        except StageFailed:
            yield
            return
        self._stop_app()
        try:
            yield
        finally:
            client.forget_failures()
            self._start_app({})

    def list_files(self, folder: Path) -> list[Path]:
        """What candidate code left under `folder` (one of `folders`, `data_dir`, or the run
        folder that holds them), as paths relative to it: every entry but folders, links and
        FIFOs included, none followed. Listed as the candidate, at most LIST_MAX entries."""
        found: list[Path] = []
        with acting_as(self.policy.uid):
            for top, folders, files in os.walk(folder, followlinks=False):
                found += [Path(top, name).relative_to(folder) for name in files]
                # a link to a folder is listed as the entry it is, and not walked into
                found += [Path(top, name).relative_to(folder) for name in folders
                          if os.path.islink(os.path.join(top, name))]
                if len(found) >= LIST_MAX:
                    break
        return sorted(found)[:LIST_MAX]

    def read_file(self, path: Path, max_bytes: int = REPORT_MAX_BYTES) -> bytes:
        """A file candidate code wrote, read safely (fsuid.read_candidate_file): an OSError
        says why it could not be, such as a link or a FIFO in its place."""
        return read_candidate_file(path, self.policy.uid, max_bytes)

    def app_memory(self) -> MemoryUse | None:
        """The app's resident memory now and at its peak, with every process it started;
        None where the machine cannot tell (no /proc)."""
        self.app.get(self.deadline)
        process = self._app_process
        return tree_memory(process.pid) if process and process.pid else None

    def _stop_app(self) -> None:
        """SIGTERM, then SIGKILL after RESTART_GRACE s: the app may save what it keeps."""
        if (process := self._app_process) is not None:
            self.session.signal(process.name, signal.SIGTERM)
            if process.wait(RESTART_GRACE) is None:
                self.session.signal(process.name, signal.SIGKILL)
                process.wait(RESTART_GRACE)

    def _prepare(self) -> SchemaReport:
        report_path = self.folder.run / "prepare.json"
        process = self.spawn("prepare", {
            "models": list(self.layout.models), "migrations": self.layout.migrations,
            "sync_url": self.db.sync_url(), "report": str(report_path)})
        limit = self._startup_deadline(time.monotonic())
        exit_ = process.wait(max(limit - time.monotonic(), 0))
        if exit_ is None:
            raise StageFailed(self._too_slow("creating the schema did not finish", limit))
        try:
            data = json.loads(self.read_file(report_path))
        except (OSError, ValueError):
            raise StageFailed(f"creating the schema failed: {exit_.reason()}") from None
        if not isinstance(data, dict):
            raise StageFailed(f"creating the schema failed: {exit_.reason()}")
        return SchemaReport.from_json(data)

    def seed_result(self) -> tuple[Exit, GradingDatabase]:
        """The seed script's exit and the database it ran on (a copy of the empty schema)."""
        self.schema.get(self.deadline)
        if self._seed_error:
            raise StageFailed(self._seed_error)
        if self._seed_db is None:
            raise StageFailed("this layout declares no seed script")
        if self._seed is None:  # a SQL seed, such as the upstream kit's test-data.sql
            return run_sql_seed(self._seed_db, self.folder.workspace / self.layout.seed,
                                self.policy.uid), self._seed_db
        limit = self._startup_deadline(self._seed_started)
        exit_ = self._seed.wait(max(limit - time.monotonic(), 0))
        if exit_ is None:
            raise StageFailed(self._too_slow(f"{self.layout.seed} did not finish", limit))
        return exit_, self._seed_db

    def timeline(self) -> dict[str, float]:
        """Seconds from the start of the run until each declared stage was ready (or failed)."""
        stages = {name: getattr(self, name) for name in self.layout.stages}
        return {f"{name}_ready": stage.seconds for name, stage in stages.items()
                if stage.seconds is not None}

    def close(self) -> None:
        self.session.end()
        for thread in self._threads:
            thread.join(timeout=1)
        if client := self.app.peek():
            client.close()
