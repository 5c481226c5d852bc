"""The checks' HTTP client for the candidate's app: httpx over its Unix socket, bounded by the
submission's deadline, and never stuck on a route that hangs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from grader.database import GradingDatabase
from grader.errors import CandidateError, time_left
from grader.sandbox.fsuid import acting_as

PROBE_TIMEOUT = 1.0


class ApiClient(httpx.Client):
    """httpx over the app's Unix socket, bounded by the submission's deadline.

    A route that gave no answer within the kata's request timeout is not asked again, and when
    the app then no longer answers even the kata's probe, nothing is: each later check fails at
    once with that reason instead of waiting that long again, so a hanging endpoint costs its
    own checks, not the time limit every other item needs.
    """

    def __init__(self, socket_path: Path, db: GradingDatabase | None, deadline: float,
                 uid: int | None = None, request_timeout: float = 5.0) -> None:
        # A connection per request: an app that fails a request may close its connection, and
        # the next check must not inherit that. Plain HTTP on a Unix socket: no TLS context to
        # build (loading the CA bundle) and no proxies from the environment.
        transport = httpx.HTTPTransport(uds=str(socket_path), verify=False,
                                        limits=httpx.Limits(max_keepalive_connections=0))
        super().__init__(transport=transport, base_url="http://candidate", trust_env=False,
                         timeout=request_timeout, follow_redirects=True)
        self.db, self.deadline, self.uid = db, deadline, uid
        self.request_timeout = request_timeout
        self.hung: set[str] = set()  # "METHOD /path" of routes that never answered
        self.unresponsive: str | None = None

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        route = f"{method.upper()} {httpx.URL(str(url)).path}"
        if self.unresponsive:
            raise CandidateError(self.unresponsive)
        if route in self.hung:
            raise CandidateError(f"{route} gave no answer within {self.request_timeout:g} s "
                                 "earlier in this run; not asked again")
        kwargs["timeout"] = time_left(self.deadline, self.request_timeout)
        try:
            with acting_as(self.uid):  # the socket's folder is the candidate's
                return super().request(method, url, **kwargs)
        except httpx.TimeoutException:
            self.hung.add(route)
            if not self._alive():
                self.unresponsive = (f"the app stopped answering: {route} gave no answer within "
                                     f"{self.request_timeout:g} s, and nothing has since")
            raise CandidateError(f"{route} gave no answer within "
                                 f"{self.request_timeout:g} s") from None

    def forget_failures(self) -> None:
        """A restarted app is asked everything again (CandidateRun.restart_app)."""
        self.hung.clear()
        self.unresponsive = None

    def _alive(self) -> bool:
        """Does the app still answer anything? The kata's probe answers at once when it does."""
        from grader.sandbox.roles import PROBE_PATH

        try:
            with acting_as(self.uid):
                super().request("GET", PROBE_PATH,
                                timeout=time_left(self.deadline, PROBE_TIMEOUT))
            return True
        except (httpx.HTTPError, CandidateError):
            return False

    def statements(self) -> int:
        """Statements executed so far: server-side where the database has a server."""
        counted = self.db.statement_count() if self.db is not None else None
        if counted is not None:
            return counted
        from grader.sandbox.roles import PROBE_PATH

        return int(self.get(PROBE_PATH).json()["statements"])

    def statement_mark(self) -> StatementMark:
        """Where the SQL run from now on starts, for `statements_since`."""
        server = self.db.statement_mark() if self.db is not None else None
        return StatementMark(server, None if server is not None else self.statements())

    def statements_since(self, mark: StatementMark) -> list[str]:
        """The texts of the SQL statements run since `mark`, so a check can see what a request
        ran (a COUNT, a LIMIT): at most the latest 64, each cut to 2,000 characters. From the
        server on PostgreSQL (pg_stat_statements gives them normalized, `$1` for a constant,
        grouped by statement; its log in the order run), from the app's process on SQLite."""
        if mark.server is not None and self.db is not None:
            return self.db.statements_since(mark.server) or []
        from grader.sandbox.roles import PROBE_PATH

        answer = self.get(PROBE_PATH, params={"since": mark.app or 0}).json()
        return [str(text) for text in answer.get("texts", [])]


@dataclass(frozen=True)
class StatementMark:
    """A point in the app's SQL: the server's (its calls so far, or a log offset), else the
    app process's statement count (SQLite)."""

    server: object | None
    app: int | None
