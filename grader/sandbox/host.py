"""The fork server: imports the candidate's stack once, then forks one fenced child per request.

Started by the grader as `python -I -m grader.sandbox.host SOCKET` with a scrubbed environment, so
a forked child inherits neither the grader's variables nor the user's site. It never imports
candidate code itself: only its children do, after `isolate.enter`. Each control connection is a
session; when it ends, every process the session started is killed, daemons included. The roles
that need none of the stack are forked by a zygote started before the imports (see Zygote).

Single-threaded on purpose: forking from a threaded process can leave locks held in the child.

Run as a warm server (`--idle SECONDS`, see warm.py) it outlives the grader that started it and
leaves once it has had no session for that long.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import os
import select
import selectors
import shutil
import signal
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox import cgroup, isolate, lease, roles
from grader.sandbox.spec import ProcessSpec

# Imported in stages, so each role is forked as soon as what it needs is loaded: the tasks
# module needs none of the stack, the schema step needs SQLAlchemy (it imports Alembic itself,
# in parallel with us), the app needs all of it. The last stage serves only later submissions,
# so it is loaded for a batch alone: in a single check it would compete with the checks for CPU.
STAGES: tuple[tuple[str, ...], ...] = (
    (),
    ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.asyncio",
     "sqlalchemy.dialects.sqlite.aiosqlite", "aiosqlite"),
    ("pydantic", "fastapi", "fastapi.routing", "uvicorn", "uvicorn.server", "uvicorn.config",
     "uvicorn.lifespan.on", "uvicorn.protocols.http.h11_impl", "uvicorn.loops.asyncio",
     "uvicorn.loops.auto", "uvicorn.protocols.http.auto", "uvicorn.protocols.websockets.auto",
     # What a FastAPI app would otherwise import after forking: pydantic.v1 as its routes are
     # declared (FastAPI rules out v1 models), anyio's backend and FastAPI's telemetry on the
     # first request. 60 ms of every app start.
     "pydantic.v1", "anyio._backends._asyncio", "fastapi.telemetry._runtime",
     # The candidate stack's tokens and password hashers (pwdlib brings argon2 and bcrypt):
     # 30-80 ms of each start of an app that signs in users.
     "jwt", "pwdlib"),
    ("alembic.command", "alembic.config", "alembic.runtime.environment", "alembic.operations",
     "asyncpg", "sqlalchemy.dialects.postgresql.asyncpg", "httptools",
     "uvicorn.protocols.http.httptools_impl",
     # The workspace's own tests (grader/own_tests.py): a second or more each run, otherwise.
     "pytest", "starlette.testclient"),
)
ROLE_STAGE = {"rpc": 0, "prepare": 1, "script": 2, "app": 2, "tests": 2}
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
SPAWN_TIMEOUT = 5.0  # the zygote answers a spawn in a few ms; past this it counts as gone


@dataclass
class Child:
    name: str
    pid: int
    pipe: int
    uid: int | None
    cap: int
    output: bytearray = field(default_factory=bytearray)
    dropped: int = 0
    status: str | None = None

    def take(self, chunk: bytes) -> None:
        room = self.cap - len(self.output)
        self.output += chunk[:max(room, 0)]
        self.dropped += max(len(chunk) - max(room, 0), 0)


@dataclass
class Session:
    connection: socket.socket
    buffer: bytes = b""
    children: dict[int, Child] = field(default_factory=dict)
    roots: set[str] = field(default_factory=set)  # sandbox folders, until the grader ends them
    cgroups: set[str] = field(default_factory=set)  # the same for its cgroups (cgroup.py)
    ended: bool = False  # the grader said `end`: nothing more starts for it

    def send(self, event: dict) -> None:
        with contextlib.suppress(OSError):
            self.connection.sendall(json.dumps(event).encode() + b"\n")


def _status(raw: int) -> tuple[str, int]:
    if os.WIFSIGNALED(raw):
        number = os.WTERMSIG(raw)
        return f"killed by {signal.Signals(number).name}", -number
    code = os.WEXITSTATUS(raw)
    return f"exited with status {code}", code


def sweep_uid(uid: int) -> None:
    """Kill every process of a sandbox uid, double-forked daemons and fork bombs included.

    A process of the same uid may signal all of them with kill(-1); repeat until none is left.
    """
    pid = os.fork()
    if pid == 0:
        try:
            isolate.drop_privileges(uid)
            for _ in range(200):
                os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            os._exit(0)
        except BaseException:  # noqa: BLE001 - a failed sweep must not escape into the server
            os._exit(1)
        os._exit(0)
    os.waitpid(pid, 0)


def become_candidate(spec: ProcessSpec, output: int) -> None:
    """In a fresh fork: fence this process in and run the role. Never returns."""
    code = 70
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.closerange(3, 65536)
        signal.set_wakeup_fd(-1)  # the zygote's, closed above
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        isolate.enter(spec)
        roles.ROLES[spec.role](spec.args, spec.workspace)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:  # noqa: BLE001 - report and leave, never return into the server
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


class Zygote:
    """A child forked before any stage is imported, which forks the roles that need none of
    them: the tasks module's server. That server forks again for every call a check makes, and
    each fork of a small process costs about half what a fork of the loaded server does.

    Spawn requests go over a SOCK_SEQPACKET pair, with the output pipe's write end attached;
    the zygote answers with the pid, and reports each exit on a pipe the server watches.
    """

    def __init__(self) -> None:
        self.requests, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.exits, exits_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                self.requests.close()
                os.close(self.exits)
                self._serve(theirs, exits_w)
            finally:
                os._exit(70)  # never return into the server's code
        theirs.close()
        self.requests.settimeout(SPAWN_TIMEOUT)
        os.close(exits_w)
        os.set_blocking(self.exits, False)
        self.buffer = b""

    def spawn(self, spec: ProcessSpec, output: int) -> int | None:
        """The pid of the forked child; None if the zygote is gone (fork it from the server)."""
        try:
            socket.send_fds(self.requests, [json.dumps(spec.to_json()).encode()], [output])
            answer = self.requests.recv(64)
        except OSError:
            answer = b""
        return int(answer) if answer else None

    def exited(self) -> list[tuple[int, int]] | None:
        """(pid, wait status) of the children reported gone since the last call; None once
        the zygote itself is gone."""
        try:
            chunk = os.read(self.exits, 65536)
        except BlockingIOError:
            return []
        if not chunk:
            return None
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        return [(int(pid), int(raw)) for pid, raw in (line.split() for line in lines)]

    def close(self) -> None:
        os.close(self.exits)
        self.requests.close()  # if it still lives, it leaves as this end closes

    @staticmethod
    def _serve(requests: socket.socket, exits: int) -> None:
        with contextlib.suppress(OSError, AttributeError):  # no prctl off Linux (macOS)
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        while True:
            ready, _, _ = select.select([requests, wake_r], [], [])
            if requests in ready:
                message, fds, _, _ = socket.recv_fds(requests, 1 << 20, 1)
                if not message or not fds:
                    os._exit(0)  # the server is gone
                spec = ProcessSpec.from_json(json.loads(message))
                pid = os.fork()
                if pid == 0:
                    become_candidate(spec, fds[0])
                os.close(fds[0])
                requests.sendall(str(pid).encode())
            if wake_r in ready:
                os.read(wake_r, 4096)
            with contextlib.suppress(ChildProcessError):
                while (reaped := os.waitpid(-1, os.WNOHANG))[0]:
                    os.write(exits, f"{reaped[0]} {reaped[1]}\n".encode())


class Host:
    def __init__(self, control_path: str, batch: bool = False, warm: bool = False) -> None:
        """`batch`: import every stage at once. `warm`: a server that outlives this grading, so
        the last stage is imported as soon as no session runs, for the next submissions."""
        self.control_path = control_path
        self.zygote: Zygote | None = Zygote()  # before anything else is imported
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.zygote.exits, selectors.EVENT_READ, ("zygote", None))
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(control_path)
        self.listener.listen(64)
        self.selector.register(self.listener, selectors.EVENT_READ, ("accept", None))
        self.sessions: dict[int, Session] = {}
        self.by_pid: dict[int, tuple[Session, Child]] = {}
        self.loaded = 0  # index of the last stage fully imported
        imports = [(stage, name) for stage, names in enumerate(STAGES) for name in names]
        later = [item for item in imports if item[0] == len(STAGES) - 1 and not batch]
        self.to_import = [item for item in imports if item not in later]
        self.when_idle = later if warm else []
        self.pending: list[tuple[Session, str, ProcessSpec]] = []

    # -- requests --------------------------------------------------------------------------

    def spawn(self, session: Session, name: str, spec: ProcessSpec) -> None:
        read_end, write_end = os.pipe()
        pid = None
        if self.zygote and ROLE_STAGE[spec.role] == 0:
            pid = self.zygote.spawn(spec, write_end)
            if pid is None:
                self._lose_zygote()
        if pid is None:
            pid = os.fork()
            if pid == 0:  # the child: never returns
                become_candidate(spec, write_end)
        os.close(write_end)
        os.set_blocking(read_end, False)
        child = Child(name=name, pid=pid, pipe=read_end, uid=spec.uid,
                      cap=spec.limits.output_bytes)
        session.children[pid] = child
        session.roots.add(spec.root)
        session.cgroups.update(cgroup.submission_group(procs) for procs in spec.cgroup_procs)
        self.by_pid[pid] = (session, child)
        self.selector.register(read_end, selectors.EVENT_READ, ("output", child))
        session.send({"event": "spawned", "name": name, "pid": pid})

    def signal(self, session: Session, name: str, signal_number: int) -> None:
        """Signal a session's process by name: only its own, never another session's."""
        if signal_number not in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT):
            raise ValueError(f"signal {signal_number} is not one a session may send")
        for child in session.children.values():
            if child.name == name:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child.pid, signal_number)

    def end_session(self, session: Session) -> None:
        self.pending = [request for request in self.pending if request[0] is not session]
        uids = {child.uid for child in session.children.values() if child.uid is not None}
        for child in session.children.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)
        for uid in uids:
            sweep_uid(uid)
        self._reap()
        for child in session.children.values():
            self._close_pipe(child)
            self.by_pid.pop(child.pid, None)
        session.children.clear()

    # -- events ----------------------------------------------------------------------------

    def _close_pipe(self, child: Child) -> None:
        if child.pipe >= 0:
            self.selector.unregister(child.pipe)
            os.close(child.pipe)
            child.pipe = -1

    def _drain(self, child: Child) -> None:
        if child.pipe < 0:  # closed by an earlier event of the same select (a session's end
            return          # reaps every exited child, other sessions' too)
        try:
            while chunk := os.read(child.pipe, 65536):
                child.take(chunk)
            self._close_pipe(child)  # end of file: every writer is gone
        except BlockingIOError:
            pass

    def _reap(self) -> None:
        while True:
            try:
                pid, raw = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self._exited(pid, raw)

    def _zygote_reports(self) -> None:
        reports = self.zygote.exited() if self.zygote else []
        if reports is None:
            self._lose_zygote()
        for pid, raw in reports or []:
            self._exited(pid, raw)

    def _lose_zygote(self) -> None:
        """It died or stopped answering: from now on this server forks every role itself. Its
        children, orphans now, are reaped here as this server is their subreaper."""
        if self.zygote:
            self.selector.unregister(self.zygote.exits)
            self.zygote.close()
            self.zygote = None

    def _exited(self, pid: int, raw: int) -> None:
        owner = self.by_pid.get(pid)
        if owner is None:
            return  # an orphan adopted as subreaper, or the zygote: nothing to report
        session, child = owner
        if child.pipe >= 0:
            self._drain(child)
        child.status, code = _status(raw)
        session.send({"event": "exited", "name": child.name, "pid": pid, "code": code,
                      "status": child.status, "dropped": child.dropped,
                      "output": child.output.decode("utf-8", "replace")})

    def _handle(self, session: Session, request: dict) -> None:
        if request["op"] == "spawn":
            if session.ended:  # a stage that started late: its folder is being removed
                return
            spec = ProcessSpec.from_json(request["spec"])
            if spec.role not in ROLE_STAGE:
                raise ValueError(f"unknown role {spec.role!r}")
            self.pending.append((session, request["name"], spec))
            self._spawn_ready()
        elif request["op"] == "signal":
            self.signal(session, str(request["name"]), int(request["signal"]))
        elif request["op"] == "preload":  # a batch: its later submissions need every stage
            self.to_import += self.when_idle
            self.when_idle = []
        elif request["op"] == "end":
            self.end_session(session)
            session.ended = True
            session.roots.clear()  # the grader removes its own folders and cgroups
            session.cgroups.clear()
            session.send({"event": "ended"})

    def _read_session(self, session: Session) -> None:
        try:
            data = session.connection.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.drop(session)
            return
        session.buffer += data
        while b"\n" in session.buffer:
            line, session.buffer = session.buffer.split(b"\n", 1)
            try:
                self._handle(session, json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                # Only the grader speaks this protocol. Anything else on the socket (a client
                # misled to it, say through a link planted in a sandbox) ends its own session,
                # never the server every other submission depends on.
                print(f"dropped a session after a malformed request: {error!r}", flush=True)
                self.drop(session)
                return

    def drop(self, session: Session) -> None:
        """The connection is gone without an `end`: the grader died (or was never one), so
        nobody else will remove the sandbox folders of its processes."""
        self.end_session(session)
        for root in session.roots:
            isolate.remove_sandbox(root)
        for group in session.cgroups:
            cgroup.remove_group(Path(group))
        self.selector.unregister(session.connection)
        self.sessions.pop(session.connection.fileno(), None)
        session.connection.close()

    def _spawn_ready(self) -> None:
        waiting = []
        for session, name, spec in self.pending:
            if ROLE_STAGE[spec.role] <= self.loaded:
                self.spawn(session, name, spec)
            else:
                waiting.append((session, name, spec))
        self.pending = waiting

    def _import_next(self) -> None:
        """One module at a time, so a spawn request waits for one import at most."""
        stage, name = self.to_import.pop(0)
        # Optional extras, absent from some stacks (asyncpg, httptools, pytest), or refusing to
        # load without theirs (starlette.testclient raises RuntimeError without httpx).
        with contextlib.suppress(Exception):
            importlib.import_module(name)
        if not self.to_import or self.to_import[0][0] != stage:
            self.loaded = stage
            gc.freeze()  # forked children then do not touch (and copy) every preloaded object
            self._spawn_ready()

    def serve(self, idle: float | None = None) -> None:
        """Serve until asked to stop; with `idle`, also until no session came for that long."""
        quiet_since = time.monotonic()
        while True:
            if self.sessions:
                quiet_since = time.monotonic()
            elif self.when_idle and not self.to_import:
                self.to_import, self.when_idle = self.when_idle, []
            elif (idle is not None and time.monotonic() - quiet_since > idle
                  and lease.may_leave(self.listener, self.control_path)):
                return
            for key, _ in self.selector.select(timeout=0 if self.to_import else 0.02):
                kind, payload = key.data
                if kind == "accept":
                    connection, _ = self.listener.accept()
                    session = Session(connection)
                    self.sessions[connection.fileno()] = session
                    self.selector.register(connection, selectors.EVENT_READ, ("session", session))
                elif kind == "session":
                    self._read_session(payload)
                elif kind == "zygote":
                    self._zygote_reports()
                else:
                    self._drain(payload)
            self._reap()
            if self.to_import:
                self._import_next()


def main() -> None:
    control_path, options = sys.argv[1], sys.argv[2:]
    idle = float(options[options.index("--idle") + 1]) if "--idle" in options else None
    with contextlib.suppress(OSError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    host = Host(control_path, batch="--batch" in options, warm=idle is not None)

    def stop(*_: object) -> None:
        """Asked to stop, or the grader died (PR_SET_PDEATHSIG): leave nothing behind. A warm
        server's folder is kept: its lock may be held by a client about to start the next."""
        for session in list(host.sessions.values()):
            host.drop(session)
        if idle is None:
            shutil.rmtree(os.path.dirname(control_path), ignore_errors=True)  # the grader may not
        else:
            with contextlib.suppress(OSError):
                os.unlink(control_path)
        os._exit(0)  # nothing to flush; skip tearing down a heavy interpreter

    signal.signal(signal.SIGTERM, stop)
    host.serve(idle)
    stop()


if __name__ == "__main__":
    main()
