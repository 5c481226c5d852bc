"""A Unix socket in a sandbox's run folder that forwards to a PostgreSQL server."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path


class Relay:
    """A Unix socket in the sandbox's run folder that forwards to the real server: from inside a
    network namespace there is no TCP, and the server's own socket folder may be hidden."""

    def __init__(self, path: Path, target: str | tuple[str, int]) -> None:
        self.path, self.target = path, target
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        os.chmod(path, 0o777)
        self.listener.listen(64)
        self.open: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _connect(self) -> socket.socket:
        if isinstance(self.target, tuple):
            return socket.create_connection(self.target, timeout=10)
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        upstream.connect(self.target)
        return upstream

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
                upstream = self._connect()
            except OSError:
                if self.listener.fileno() < 0:
                    return
                continue
            upstream.settimeout(None)
            self.open.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        for each in (source, target):  # either side leaving ends the connection
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            self.open.discard(each)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for each in list(self.open):
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
                each.close()
        self.path.unlink(missing_ok=True)


