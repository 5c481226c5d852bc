"""A fork server kept warm between commands, so that a repeated `kata check` skips its imports.

The first command that needs one starts it; it stays up until it has had no session for
KATA_SERVER_IDLE seconds (default 900: a candidate checks every few minutes for an hour).
There is one per user and per version of the sandbox code and the installed libraries, in a
private folder; a server of an older version is never used, and leaves when idle.
KATA_SERVER=0 gives each command its own server instead, gone with it.

Nothing of a submission lives on in it: it never imports candidate code, each candidate process
is a fresh fork, and each session's processes and folders are removed when the session ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import socket
import stat
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from grader.errors import UserError
from grader.sandbox.client import ForkServer, Host, Session, last_words, start_server
from grader.sandbox.spec import SERVER_LOCK

IDLE_SECONDS = 900.0
SOCKET = "control.sock"
START_TIMEOUT = 20.0


class UnsafeFolder(Exception):
    """The server folder exists but is not this user's private folder."""


def fork_server(*, batch: bool = False) -> ForkServer:
    """The warm server, or this command's own when it is turned off or cannot be had safely."""
    if os.environ.get("KATA_SERVER", "1") == "0":
        return Host(batch=batch)
    try:
        return WarmServer(batch=batch)
    except (UnsafeFolder, OSError):
        return Host(batch=batch)


def version_key() -> str:
    """Changes whenever the server's code or the libraries it preloads may have changed."""
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    for name in ("purelib", "platlib"):  # an install or upgrade changes the folder's mtime
        with contextlib.suppress(OSError):
            digest.update(str(os.stat(sysconfig.get_path(name)).st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def private_folder() -> Path:
    name = f"kata-server-{os.getuid()}-{version_key()}"
    bases = [os.environ.get("XDG_RUNTIME_DIR") or "", tempfile.gettempdir()]
    # The first base whose socket path fits in sun_path (108 bytes, with its final NUL).
    base = next(b for b in bases if b and len(os.fsencode(Path(b, name, SOCKET))) < 108)
    folder = Path(base, name)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeFolder(f"{folder} is not a private folder of this user")
    return folder


class WarmServer(ForkServer):
    def __init__(self, *, batch: bool = False) -> None:
        folder = private_folder()
        self.control = str(folder / SOCKET)
        self.log = str(folder / "server.log")
        self._lock_path = str(folder / SERVER_LOCK)
        self._batch = batch
        if not self._answers():
            self._start()

    def _answers(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(self.control)
                return True
            except (FileNotFoundError, ConnectionRefusedError):
                return False

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Starting a server, and an idle server leaving, happen under this lock."""
        lock = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        finally:
            os.close(lock)

    def _start(self) -> None:
        with self._locked():
            if self._answers():
                return  # another command started it meanwhile
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.control)  # left by a server that was killed
            idle = os.environ.get("KATA_SERVER_IDLE", str(IDLE_SECONDS))
            process = start_server(self.control, self.log,
                                   ["--idle", idle, *(["--batch"] if self._batch else [])],
                                   start_new_session=True)  # not stopped by Ctrl-C
            deadline = time.monotonic() + START_TIMEOUT
            while not self._answers():  # still under the lock: see host.Host._may_leave
                if process.poll() is not None or time.monotonic() > deadline:
                    raise UserError(f"the sandbox server did not start ({last_words(self.log)})")
                time.sleep(0.005)

    def _running(self) -> bool:
        return False  # it answered when this object was made; a refusal now is final

    def session(self, timeout: float = START_TIMEOUT) -> Session:
        try:
            return super().session(timeout)
        except UserError:  # it left or was killed since: start another, once
            self._start()
            return super().session(timeout)
