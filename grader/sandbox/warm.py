"""Servers kept warm between commands, so that a repeated `kata check` skips their imports.

The first command that needs one starts it; it stays up until it has had no client for
KATA_SERVER_IDLE seconds (default 900: a candidate checks every few minutes for an hour).
They live in a private folder per user and per version of the grader, the katas and the
installed libraries: a server of an older version is never used, and leaves when idle.
KATA_SERVER=0 gives each command a fork server of its own instead, gone with it.

Nothing of a submission lives on in them: the fork server never imports candidate code, each
candidate process is a fresh fork, and a session's processes and folders go when it ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from grader.errors import UserError
from grader.sandbox import lease
from grader.sandbox.client import ForkServer, Host, Session, last_words, start_server

IDLE_SECONDS = 900.0
SERVERS = ("server", "grader")  # the fork server, the warm grader (grader/warm_check.py)
START_TIMEOUT = 20.0
_OUTLIVING: list[subprocess.Popen[bytes]] = []  # the warm servers this command started
_SOURCES = (Path(__file__).parents[1], Path(__file__).parents[2] / "katas")


class UnsafeFolder(PermissionError):
    """The server folder exists but is not this user's private folder."""


def enabled() -> bool:
    """Whether warm servers are on; a KATA_SERVER_IDLE that is no number is bad input."""
    idle_seconds()
    return os.environ.get("KATA_SERVER", "1") != "0"


def fork_server(*, batch: bool = False, python: str | None = None) -> ForkServer:
    """The warm fork server, or this command's own when turned off or not to be had safely.
    `python`: a vetted stack's interpreter, whose fork server is another warm server.
    A bad KATA_SERVER_IDLE raises UserError."""
    if enabled():
        with contextlib.suppress(OSError, UserError):  # an unsafe folder; it did not start
            return WarmServer(batch=batch, python=python)
    return Host(batch=batch, python=python)


def version_key() -> str:
    """Changes whenever the grader, a kata or the libraries the servers preload may have, and
    differs between two checkouts: a server holds its own checkout's katas."""
    # The interpreter itself, not the link it was started through (`kata` runs python3.11,
    # `python -m cli` python), and the folder of its libraries, which tells venvs apart.
    digest = hashlib.sha256(f"{os.path.realpath(sys.executable)}\0{sys.version}".encode())
    for source in sorted(path for root in _SOURCES for pattern in ("*.py", "*.yaml")
                         for path in root.rglob(pattern)):
        digest.update(os.fsencode(source) + b"\0" + source.read_bytes())
    for name in ("purelib", "platlib"):  # an install or upgrade changes the folder's mtime
        with contextlib.suppress(OSError):
            folder = sysconfig.get_path(name)
            digest.update(f"{folder}\0{os.stat(folder).st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def server_name(python: str | None) -> str:
    """The fork server's name in the folder: one per stack interpreter."""
    if python is None:
        return "server"
    return "server-" + hashlib.sha256(os.fsencode(python)).hexdigest()[:8]


def folder_path(longest_name: str = server_name("/") + ".sock.lock") -> Path:
    name = f"kata-server-{os.getuid()}-{version_key()}"
    bases = [os.environ.get("XDG_RUNTIME_DIR") or "", tempfile.gettempdir()]
    # The first base whose socket paths fit in sun_path (108 bytes, with its final NUL).
    base = next(b for b in bases if b and len(os.fsencode(Path(b, name, longest_name))) < 108)
    return Path(base, name)


def private_folder() -> Path:
    folder = folder_path()
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeFolder(f"{folder} is not a private folder of this user")
    return folder


def status() -> dict[str, object]:
    """For `kata doctor`: are warm servers on, where do they live, which ones answer."""
    if not enabled():
        return {"enabled": False}
    folder = folder_path()
    answering = {}
    stacks = sorted(path.name.removesuffix(".sock") for path in folder.glob("server-*.sock"))
    for name in (*SERVERS, *stacks):  # server-HASH: a vetted stack's fork server
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            answering[name] = probe.connect_ex(str(folder / f"{name}.sock")) == 0
    return {"enabled": True, "folder": str(folder), "idle_seconds": idle_seconds(),
            "running": answering}


def idle_seconds() -> float:
    value = os.environ.get("KATA_SERVER_IDLE") or str(IDLE_SECONDS)  # empty: as unset
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise UserError(f"KATA_SERVER_IDLE must be a number of seconds above 0, not {value!r}")
    return seconds


class WarmProcess:
    """One warm server: `python -I -m MODULE SOCKET --idle SECONDS [OPTIONS]`, found or started
    (`python`: this interpreter, or a vetted stack's)."""

    def __init__(self, name: str, module: str, options: list[str] | None = None,
                 python: str | None = None) -> None:
        folder = private_folder()
        self.name = name
        self.control, self.log = str(folder / f"{name}.sock"), str(folder / f"{name}.log")
        self._module, self._options, self._python = module, options or [], python

    def answers(self) -> bool:
        try:
            self.connect().close()
            return True
        except (FileNotFoundError, ConnectionRefusedError):
            return False

    def connect(self) -> socket.socket:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(self.control)
        except OSError:
            connection.close()
            raise
        return connection

    def open(self) -> socket.socket:
        """A connection, the server started first if none answers."""
        try:
            return self.connect()
        except (FileNotFoundError, ConnectionRefusedError):
            self.ensure()
            return self.connect()

    def ensure(self) -> None:
        """Start the server unless one answers; return once it does."""
        if self.answers():
            return
        with lease.held(self.control):
            if self.answers():
                return  # another command started it meanwhile
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.control)  # left by a server that was killed
            process = start_server(self._module, self.control, self.log,
                                   ["--idle", str(idle_seconds()), *self._options],
                                   self._python, start_new_session=True)  # not stopped by Ctrl-C
            deadline = time.monotonic() + START_TIMEOUT
            while not self.answers():  # still under the lock: see lease.may_leave
                if process.poll() is not None or time.monotonic() > deadline:
                    raise UserError(f"the warm {self.name} did not start "
                                    f"({last_words(self.log)})")
                time.sleep(0.005)
            _OUTLIVING.append(process)  # dropped, Popen would warn that it still runs


class WarmServer(ForkServer):
    def __init__(self, *, batch: bool = False, python: str | None = None) -> None:
        self._process = WarmProcess(server_name(python), "grader.sandbox.host",
                                    ["--batch"] if batch else [], python)
        self.control, self.log = self._process.control, self._process.log
        self._process.ensure()
        if batch:  # one started by a check imports the last stage only when idle: now, please
            with contextlib.suppress(OSError), self._process.connect() as connection:
                connection.sendall(b'{"op": "preload"}\n')

    def _running(self) -> bool:
        return False  # it answered when this object was made; a refusal now is final

    def close(self) -> None:
        """Nothing to do: the server outlives this command, and leaves when idle."""

    def session(self, timeout: float = START_TIMEOUT) -> Session:
        try:
            return super().session(timeout)
        except UserError:  # it left or was killed since: start another, once
            self._process.ensure()
            return super().session(timeout)
