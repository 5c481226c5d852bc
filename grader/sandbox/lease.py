"""The lock beside a warm server's socket: a client starts a server under it, and an idle server
leaves under it, so that no client is left talking to a server that is gone."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import socket
from collections.abc import Iterator


def _open(control: str) -> int:
    return os.open(control + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)


@contextlib.contextmanager
def held(control: str) -> Iterator[None]:
    """The client's side: wait for the lock, hold it for the block."""
    lock = _open(control)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


def may_leave(listener: socket.socket, control: str) -> bool:
    """The server's side: True, with the socket removed and the lock held until this process
    exits, when no client holds the lock and none is waiting to be accepted."""
    lock = _open(control)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        return False
    waiting, _, _ = select.select([listener], [], [], 0)
    if waiting:
        os.close(lock)
        return False
    os.unlink(control)
    return True
