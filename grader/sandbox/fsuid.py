"""The grader's file access inside a sandbox folder, with the candidate's permissions.

The grader runs as root and must open files and sockets in folders that candidate processes can
write to (the run folder: the SQLite database, the app's and the tasks module's sockets, the schema
report). A candidate can replace any entry there with a link: to /etc/passwd, to a file it wants
chowned, to the fork server's control socket (whose path /proc shows). Root would follow it.

`acting_as(uid)` switches the calling thread's filesystem uid and gid (setfsuid/setfsgid, which are
per thread and drop the file capabilities while they are not 0) to the sandbox uid for the
duration. The kernel then checks every path as if the candidate had opened it: a planted link
leads nowhere the candidate could not go itself, and what the grader creates belongs to the
candidate. Other threads of the grader are unaffected.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
_QUERY = ctypes.c_uint32(0xFFFFFFFF)  # an invalid id: changes nothing, returns the current one


def _switch(uid: int, gid: int) -> None:
    _libc.setfsgid(ctypes.c_uint32(gid))
    _libc.setfsuid(ctypes.c_uint32(uid))
    if _current() != (uid, gid):
        raise PermissionError(f"could not switch the file system uid to {uid}")


def _current() -> tuple[int, int]:
    return _libc.setfsuid(_QUERY), _libc.setfsgid(_QUERY)


@contextmanager
def acting_as(uid: int | None) -> Iterator[None]:
    """File and socket access of this thread as `uid` (a no-op without a sandbox uid or root).
    Nests: on leaving, the thread gets back whatever it had on entering."""
    if uid is None or uid == 0 or os.geteuid() != 0:
        yield
        return
    previous = _current()
    _switch(uid, uid)
    try:
        yield
    finally:
        _switch(*previous)


def read_candidate_file(path: Path, uid: int | None, max_bytes: int) -> bytes:
    """A file candidate code wrote or could have replaced, read as candidate code would read it:
    as the sandbox uid, never through a symbolic link, never blocking on a FIFO, only a plain
    file with one name (no hard link to somebody else's) and of at most `max_bytes`. Anything
    else is an OSError whose message says which rule it broke."""
    with acting_as(uid):
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise OSError(f"{path.name} is not a plain file")
        if info.st_size > max_bytes:
            raise OSError(f"{path.name} is larger than {max_bytes >> 20} MiB")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read(max_bytes)
    finally:
        os.close(handle)
