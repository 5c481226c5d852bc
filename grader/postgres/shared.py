"""One PostgreSQL server for every submission of a run."""

from __future__ import annotations

import atexit
import threading

from grader.postgres.servers import Cluster, ExistingServer, PostgresServer


class SharedPostgres:
    """One PostgreSQL server for every submission of a run, started on first use.

    `grade_one(..., cluster=shared)` grades on it; without one, grade_one starts its own.
    Thread-safe and fork-safe: a batch that grades each submission in a forked grader calls
    `get()` in the parent before forking (see session.needs_postgres), and every child then
    shares the parent's server. Closed by `close()`, by leaving a `with` block, or at
    interpreter exit.
    """

    def __init__(self, db_url: str | None = None) -> None:
        self.db_url = db_url
        self._server: PostgresServer | None = None
        self._lock = threading.Lock()

    def get(self) -> PostgresServer:
        with self._lock:
            if self._server is None:
                self._server = (ExistingServer.connect(self.db_url) if self.db_url
                                else Cluster.start())
                atexit.register(self.close)
            return self._server

    def close(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.close()
                self._server = None

    def __enter__(self) -> SharedPostgres:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
