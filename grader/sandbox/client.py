"""The grader's side of the fork server: start it, open sessions, spawn and watch processes."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UserError
from grader.sandbox.fsuid import acting_as
from grader.sandbox.spec import ProcessSpec

PR_SET_PDEATHSIG = 1
HOST_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "TZ")


@dataclass
class Exit:
    code: int
    status: str
    output: str
    dropped: int

    def candidate_error(self) -> str | None:
        """The role's own one-line reason, if it gave one."""
        lines = [ln for ln in self.output.splitlines() if ln.startswith("KATA-ERROR: ")]
        return lines[-1].removeprefix("KATA-ERROR: ") if lines else None

    def reason(self) -> str:
        if error := self.candidate_error():
            return error
        tail = [ln for ln in self.output.strip().splitlines() if ln.strip()]
        return f"{self.status}: {tail[-1].strip()}" if tail else self.status


@dataclass
class Process:
    name: str
    pid: int | None = None
    spawned: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    exit: Exit | None = None

    def wait(self, timeout: float | None) -> Exit | None:
        self.finished.wait(timeout)
        return self.exit


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def start_server(module: str, control: str, log: str, options: list[str],
                 python: str | None = None, **popen: object) -> subprocess.Popen[bytes]:
    """`python -I -m MODULE CONTROL OPTIONS`, with a scrubbed environment and its output in
    `log`: a fork server (grader.sandbox.host) or the warm grader (grader.warm_check).

    `python`: another interpreter to run it with, a vetted stack's (grader/stack_cache.py). That
    one has none of the grader installed, so it finds the module through a folder beside the
    control socket holding a link to this grader's package and nothing else: candidate code
    there imports the stack's libraries, never this environment's.
    """
    env = {k: os.environ[k] for k in HOST_ENV_KEEP if k in os.environ}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = [sys.executable, "-I", "-m", module]
    if python is not None:
        command = [python, "-I", "-c", f"import sys; sys.path.append({_grader_link(control)!r});"
                   f" from {module} import main; main()"]
    with open(log, "wb") as out:
        return subprocess.Popen(
            [*command, control, *options],
            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            cwd=os.path.dirname(control), **popen,  # type: ignore[arg-type]
        )


def _grader_link(control: str) -> str:
    """A folder beside `control` whose only entry links to this grader's package."""
    import grader

    folder = os.path.join(os.path.dirname(control), "lib")
    os.makedirs(folder, mode=0o755, exist_ok=True)
    link = os.path.join(folder, "grader")
    target = os.path.dirname(os.path.realpath(grader.__file__))
    if os.path.realpath(link) != target:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        os.symlink(target, link)
    return folder


def last_words(log: str) -> str:
    """The server log's last line: why it did not start."""
    try:
        with open(log, encoding="utf-8", errors="replace") as out:
            lines = out.read().strip().splitlines()
    except OSError:
        lines = []
    return lines[-1] if lines else "no output"


class ForkServer(ABC):
    """A fork server to open sessions on: this command's own (Host) or a warm one (warm.py)."""

    control: str
    log: str

    @abstractmethod
    def _running(self) -> bool:
        """Whether a refused connection may still succeed: the server is still starting."""

    def session(self, timeout: float = 20.0) -> Session:
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.connect(self.control)
                return Session(connection)
            except (FileNotFoundError, ConnectionRefusedError):
                connection.close()
                if not self._running() or time.monotonic() > deadline:
                    raise UserError(
                        f"the sandbox server did not start ({last_words(self.log)})") from None
                time.sleep(0.005)

    @abstractmethod
    def close(self) -> None:
        """Let go of the server."""

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Host(ForkServer):
    """This command's own fork server, shared by every submission it grades, gone with it."""

    def __init__(self, *, batch: bool = False, python: str | None = None) -> None:
        """`batch`: more than one submission will be graded, so preload for later ones too.
        `python`: the interpreter of the stack to run candidate code on (None: this one's)."""
        self.directory = tempfile.mkdtemp(prefix="kata-host-")
        os.chmod(self.directory, 0o700)
        self.control = os.path.join(self.directory, "control.sock")
        self.log = os.path.join(self.directory, "host.log")
        self.owner = os.getpid()  # forked graders share this host but cannot wait() for it
        self.process = start_server("grader.sandbox.host", self.control, self.log,
                                    ["--batch"] if batch else [], python,
                                    preexec_fn=_die_with_parent)

    def _running(self) -> bool:
        if os.getpid() == self.owner:
            return self.process.poll() is None
        try:
            os.kill(self.process.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def close(self) -> None:
        if os.getpid() != self.owner:
            return  # a forked grader leaves the shared host to its owner
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Host:
        return self


class Session:
    """One submission's processes; closing it kills every one of them."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.processes: dict[str, Process] = {}
        self.ended = threading.Event()
        self._closing = False  # set by end(): a stage thread that starts late starts nothing
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError, ValueError), self.connection.makefile("rb") as stream:
            for line in stream:
                self._dispatch(json.loads(line))
        self.ended.set()
        for process in self.processes.values():
            process.spawned.set()
            process.finished.set()

    def _dispatch(self, event: dict) -> None:
        if event["event"] == "ended":
            self.ended.set()
            return
        process = self.processes[event["name"]]
        if event["event"] == "spawned":
            process.pid = event["pid"]
            process.spawned.set()
        elif event["event"] == "exited":
            process.exit = Exit(code=event["code"], status=event["status"],
                                output=event["output"], dropped=event["dropped"])
            process.finished.set()

    def spawn(self, name: str, spec: ProcessSpec) -> Process:
        process = Process(name)
        with self._lock:
            if self._closing:  # it never runs: anyone still waiting on it hears it is gone
                process.finished.set()
                return process
            self.processes[name] = process
            request = {"op": "spawn", "name": name, "spec": spec.to_json()}
            self.connection.sendall(json.dumps(request).encode() + b"\n")
        return process

    def signal(self, name: str, signal_number: int) -> None:
        """Send a signal to one of the session's processes (its whole process group)."""
        with contextlib.suppress(OSError), self._lock:
            request = {"op": "signal", "name": name, "signal": int(signal_number)}
            self.connection.sendall(json.dumps(request).encode() + b"\n")

    def end(self, timeout: float = 10.0) -> None:
        """Kill everything the submission started and wait until the server says so."""
        with contextlib.suppress(OSError):
            with self._lock:
                self._closing = True
                self.connection.sendall(b'{"op": "end"}\n')
            self.ended.wait(timeout)
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()


NOT_LISTENING = "did not start listening in time"


def wait_for_socket(path: Path, process: Process, deadline: float,
                    uid: int | None = None) -> str | None:
    """Poll until something listens on `path`; the reason it never will, or None when it does.

    The folder is the candidate's, so the path is probed as `uid` (see fsuid): a link to a
    socket the candidate may not use, such as the fork server's, is never mistaken for its own.
    """
    while time.monotonic() < deadline:
        if process.finished.is_set():
            return process.exit.reason() if process.exit else "the process vanished"
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with acting_as(uid):
                probe.connect(str(path))
            return None
        except OSError:  # not there yet, not listening yet, or not the candidate's to use
            pass
        finally:
            probe.close()
        time.sleep(0.005)
    return NOT_LISTENING
