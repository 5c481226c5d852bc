"""PostgreSQL servers that give each submission a fresh database of its own role, dropped
after: a throwaway cluster from this machine's binaries, or a server given with --db-url."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import select
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from grader.database import PgEndpoint, PostgresDatabase
from grader.errors import UserError
from grader.postgres.keeper import ADMIN, PORT, START_TIMEOUT, quote_ident
from grader.postgres.relay import Relay
from grader.sandbox.roles import STATEMENT_TEXT_CHARS, STATEMENT_TEXTS_KEPT

TEMPLATE = "kata_template"
ROLE_CONNECTIONS = 50  # of one submission
# Bounds on one submission's database: its sessions may not lift the temporary-file limit (only
# a superuser may); its statements time out; past the size its sessions end and no new one starts.
STATEMENT_TIMEOUT = "10s"
TEMP_FILE_LIMIT = "64MB"
DATABASE_BYTES = 256 << 20
SIZE_POLL_SECONDS = 0.25
INSTALL_HINT = ("grading on PostgreSQL needs PostgreSQL installed on this machine "
                "(`apt-get install postgresql`), or an existing server given with "
                "--db-url postgresql://USER:PASSWORD@HOST:PORT/DB")



def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class PostgresServer(ABC):
    """A server that gives each submission a fresh database and drops it afterwards."""

    def __init__(self, admin: PgEndpoint, counting: str | None) -> None:
        self.admin = admin
        self.counting = counting  # "pg_stat_statements", "log" or None (the app counts)
        self.log_path: Path | None = None
        self.owner_pid = os.getpid()
        self._lock = threading.Lock()
        # One admin connection per process: a batch grades each submission in a fork, and a
        # forked child must never speak on (or close) its parent's connection.
        self._connections: dict[int, Any] = {}

    def admin_query(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        with self._lock:
            connection = self._connections.get(os.getpid())
            if connection is None or connection.closed:
                connection = self._connections[os.getpid()] = self.admin.connect()
            cursor = connection.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []

    def disconnect(self) -> None:
        """Close this process's admin connection (say, before forking graders)."""
        with self._lock:
            connection = self._connections.pop(os.getpid(), None)
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()

    # -- what differs between a cluster of ours and a server we were given ----------------------

    @abstractmethod
    def _new_owner(self, name: str) -> tuple[str, str]:
        """The role that owns a new database, and its password: what the candidate uses."""

    @abstractmethod
    def _drop_owner(self, user: str) -> None: ...

    @abstractmethod
    def _expose(self, run_dir: Path) -> Callable[[], None]:
        """Make the server reachable from inside the sandbox at run_dir/.s.PGSQL.<port>."""

    template = "template0"

    def _note(self, verb: str, name: str) -> None:  # noqa: B027 - optional for subclasses
        """Tell whatever removes this server's leftovers if the grader dies (see subclasses)."""

    # -- databases ------------------------------------------------------------------------------

    def create_database(self, run_dir: Path) -> PostgresDatabase:
        name = f"kata_{secrets.token_hex(6)}"
        user, password = self._new_owner(name)
        self._create(name, user, self.template)
        hide = self._expose(run_dir)
        grader = PgEndpoint(self.admin.host, self.admin.port, user, password, name)
        candidate = PgEndpoint(str(run_dir), self.admin.port, user, password, name)
        db = PostgresDatabase(grader, candidate, self)
        db.on_drop += [hide, self._guard_size(db)]
        db.log_offset = self._log_size()
        return db

    def _guard_size(self, db: PostgresDatabase) -> Callable[[], None]:
        """Watch the database's size; past DATABASE_BYTES, end its sessions and let it take no
        more (PostgreSQL has no quota of its own). Returns how to stop watching."""
        stop = threading.Event()
        name = quote_ident(db.name)

        def watch() -> None:
            while not stop.wait(SIZE_POLL_SECONDS):
                with contextlib.suppress(Exception):  # dropped meanwhile: nothing to guard
                    (row,) = self.admin_query("SELECT pg_database_size(%s) AS size", (db.name,))
                    if row["size"] > DATABASE_BYTES:
                        self.admin_query(f"ALTER DATABASE {name} CONNECTION LIMIT 0")
                        self.admin_query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                         "WHERE datname = %s AND pid <> pg_backend_pid()",
                                         (db.name,))
                        db.limits_reached.append(
                            f"database limit {DATABASE_BYTES >> 20} MiB reached")
                        return

        threading.Thread(target=watch, daemon=True).start()
        return stop.set

    def _create(self, name: str, owner: str, template: str) -> None:
        self._note("create", name)
        owned = f" OWNER {quote_ident(owner)}" if owner != self.admin.user else ""
        self.admin_query(f"CREATE DATABASE {quote_ident(name)}{owned} "
                         f"TEMPLATE {quote_ident(template)}")
        self.admin_query(f"REVOKE CONNECT, TEMPORARY ON DATABASE {quote_ident(name)} FROM PUBLIC")
        for setting, value in (("statement_timeout", STATEMENT_TIMEOUT),
                               ("temp_file_limit", TEMP_FILE_LIMIT)):
            # temp_file_limit takes a superuser: a given server's own user may not be one, and
            # that server's setting then stays.
            with contextlib.suppress(Exception):
                self.admin_query(f"ALTER DATABASE {quote_ident(name)} SET {setting} = "
                                 f"{_literal(value)}")

    def copy_database(self, source: PostgresDatabase, suffix: str) -> PostgresDatabase:
        """A new database with the source's schema and data (the source must have no sessions)."""
        name = f"{source.name}_{re.sub(r'[^a-z0-9]+', '_', suffix.lower()).strip('_')}"[:63]
        # A session that just closed may still be leaving the source, and the server would
        # wait for it in steps of 100 ms: wait in short steps here instead.
        self._wait_for_sessions(source.name, "", timeout=5.0)
        self._create(name, source.grader.user, source.name)
        copy = PostgresDatabase(replace(source.grader, dbname=name),
                                replace(source.candidate, dbname=name), self)
        source.copies.append(copy)
        return copy

    def drop_database(self, db: PostgresDatabase) -> None:
        """Drop a submission's database, its copies and its role; whatever happened to them."""
        for each in (*db.copies, db):
            each.close()
            if self.counting == "pg_stat_statements":
                with contextlib.suppress(Exception):
                    self.admin_query("SELECT pg_stat_statements_reset(0, oid, 0) "
                                     "FROM pg_database WHERE datname = %s", (each.name,))
            self.admin_query(f"DROP DATABASE IF EXISTS {quote_ident(each.name)} WITH (FORCE)")
            self._note("drop", each.name)
        self._drop_owner(db.grader.user)
        for undo in db.on_drop:
            undo()

    # -- statements, counted by the server ------------------------------------------------------

    def statement_count(self, db: PostgresDatabase) -> int | None:
        """Statements run so far in the candidate's database, as the server saw them."""
        if self.counting is None:
            return None
        # pg_stat_statements records a statement when its portal closes, which may be at the
        # end of the transaction, after the app has answered; the app may also end its
        # transaction after answering. Either way: first wait until its sessions are idle.
        self._wait_for_sessions(db.name, "idle", timeout=2.0)
        if self.counting == "pg_stat_statements":
            return sum(self._calls(db).values())
        if self.counting == "log" and self.log_path is not None:
            return len(self._logged(db, db.log_offset))
        return None

    def statement_mark(self, db: PostgresDatabase) -> object | None:
        """Where the statements run from now on start: the calls of each statement so far
        (pg_stat_statements), or the end of the log."""
        if self.counting is None:
            return None
        self._wait_for_sessions(db.name, "idle", timeout=2.0)
        if self.counting == "pg_stat_statements":
            return self._calls(db)
        return self._log_size() if self.log_path is not None else None

    def statements_since(self, db: PostgresDatabase, mark: object) -> list[str] | None:
        """The texts of the statements run since `mark` (statement_mark), at most
        STATEMENT_TEXTS_KEPT: in the order run from the log; from pg_stat_statements normalized
        (`$1` for each constant), once per call, grouped by statement."""
        if mark is None or self.counting is None:
            return None
        self._wait_for_sessions(db.name, "idle", timeout=2.0)
        if isinstance(mark, dict):
            texts: list[str] = []
            for (queryid, query), calls in self._calls(db, texts=True).items():
                texts += [query[:STATEMENT_TEXT_CHARS]] * (calls - mark.get(queryid, 0))
            return texts[-STATEMENT_TEXTS_KEPT:]
        return self._logged(db, int(mark))[-STATEMENT_TEXTS_KEPT:]

    def _calls(self, db: PostgresDatabase, texts: bool = False) -> dict[Any, int]:
        """pg_stat_statements' calls in `db`, by queryid (by queryid and text with `texts`)."""
        rows = self.admin_query(
            "SELECT s.queryid, s.query, sum(s.calls)::bigint AS calls FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s "
            "GROUP BY s.queryid, s.query", (db.name,))
        return {((row["queryid"], row["query"]) if texts else row["queryid"]): int(row["calls"])
                for row in rows}

    def _logged(self, db: PostgresDatabase, offset: int) -> list[str]:
        """The statements the log holds for `db` from `offset` on, transaction control left
        out as pg_stat_statements leaves it (track_utility off)."""
        if self.log_path is None:
            return []
        with open(self.log_path, "rb") as log:
            log.seek(max(offset, db.log_offset))
            text = log.read().decode("utf-8", "replace")
        pattern = (rf"^{re.escape(db.name)}\|{re.escape(db.grader.user)}\|"
                   r"LOG:  (?:statement|execute [^:]*): (?!(?i:begin|commit|rollback|start "
                   r"transaction|savepoint|release|end)\b)(.*(?:\n\t.*)*)")
        return [found[:STATEMENT_TEXT_CHARS] for found in re.findall(pattern, text, re.MULTILINE)]

    def _wait_for_sessions(self, name: str, but: str, timeout: float) -> None:
        """Wait until the database has no session (but=""), or none in any state but `but`,
        or the timeout passes."""
        sql = "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = %s"
        params: tuple[str, ...] = (name,)
        if but:
            sql, params = sql + " AND state IS DISTINCT FROM %s", (name, but)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.admin_query(sql, params)[0]["n"]:
                return
            time.sleep(0.005)

    def _log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path else 0

    def close(self) -> None:
        self.disconnect()


class Cluster(PostgresServer):
    """A throwaway cluster, started by a keeper process that removes it whatever happens."""

    template = TEMPLATE

    def __init__(self, admin: PgEndpoint, counting: str | None, keeper: subprocess.Popen,
                 root: Path, data: Path) -> None:
        super().__init__(admin, counting)
        self.keeper, self.root, self.data = keeper, root, data
        self.socket = Path(admin.host) / f".s.PGSQL.{admin.port}"
        if counting == "log":
            self.log_path = root / "postgres.log"

    @classmethod
    def start(cls, bin_dir: str | None = None, counting: str | None = None) -> Cluster:
        """Start a cluster from `bin_dir` (default: this machine's PostgreSQL); `counting` forces
        "log" or "pg_stat_statements" (default: the extension when it is installed)."""
        from grader.sandbox.capabilities import find_postgres_bin

        bin_dir = bin_dir or find_postgres_bin()
        if bin_dir is None:
            raise UserError(INSTALL_HINT)
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise UserError("PostgreSQL refuses to run as root and this machine has no "
                                "`postgres` user: create one (`useradd --system postgres`) or "
                                "pass --db-url") from None
        counting = counting or ("pg_stat_statements" if _has_pg_stat_statements(bin_dir)
                                else "log")
        root = Path(tempfile.mkdtemp(prefix="kata-pg-", dir=_base_dir()))
        data = Path(tempfile.mkdtemp(prefix="kata-pg-data-", dir=_data_dir(root)))
        password = secrets.token_hex(16)
        keeper = subprocess.Popen(
            [sys.executable, "-I", "-m", "grader.postgres.keeper", str(root), str(data), bin_dir,
             counting],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True, cwd="/", env={"PATH": os.environ.get("PATH", ""),
                                                  "LC_ALL": "C"})
        assert keeper.stdin is not None and keeper.stdout is not None
        keeper.stdin.write(password.encode() + b"\n")
        keeper.stdin.flush()
        status = _read_line(keeper.stdout, START_TIMEOUT)
        if status != "ready":
            _stop_keeper(keeper)
            for folder in (root, data):
                shutil.rmtree(folder, ignore_errors=True)
            reason = status.removeprefix("error ") if status else "no answer in time"
            raise UserError(f"the throwaway PostgreSQL cluster did not start: {reason}")
        admin = PgEndpoint(str(root / "socket"), PORT, ADMIN, password, "postgres")
        try:
            cluster = cls(admin, counting, keeper, root, data)
            cluster._prepare()
            cluster.disconnect()  # nothing for a forked grader to inherit
        except BaseException:
            _stop_keeper(keeper)
            raise
        return cluster

    def _prepare(self) -> None:
        """Keep roles out of the shared databases; make the template; turn counting on."""
        for name in ("postgres", "template1"):
            self.admin_query(f"REVOKE CONNECT, TEMPORARY ON DATABASE {name} FROM PUBLIC")
        self.admin_query(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0")
        self.admin_query(f"REVOKE CONNECT, TEMPORARY ON DATABASE {TEMPLATE} FROM PUBLIC")
        if self.counting == "pg_stat_statements":
            try:
                self.admin_query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            except Exception:  # noqa: BLE001 - no extension files: the app counts instead
                self.counting = None

    def _new_owner(self, name: str) -> tuple[str, str]:
        password = secrets.token_hex(16)
        # A connection limit, so that one submission cannot take every session of a batch.
        self.admin_query(f"CREATE ROLE {quote_ident(name)} LOGIN NOSUPERUSER NOCREATEDB "
                         f"NOCREATEROLE CONNECTION LIMIT {ROLE_CONNECTIONS} "
                         f"PASSWORD {_literal(password)}")
        return name, password

    def _drop_owner(self, user: str) -> None:
        self.admin_query(f"DROP ROLE IF EXISTS {quote_ident(user)}")

    def _expose(self, run_dir: Path) -> Callable[[], None]:
        link = run_dir / self.socket.name
        try:
            os.link(self.socket, link)  # a hard link: the socket's own folder stays private
        except OSError:  # another file system: relay instead
            return Relay(link, str(self.socket)).close
        return lambda: link.unlink(missing_ok=True)

    def close(self) -> None:
        super().close()
        if os.getpid() == self.owner_pid:  # a forked grader leaves the cluster to its parent
            _stop_keeper(self.keeper)
            for folder in (self.root, self.data):
                shutil.rmtree(folder, ignore_errors=True)


class ExistingServer(PostgresServer):
    """A server given with --db-url: its credentials are passed through to the candidate.

    A watcher process (`python -m grader.postgres.keeper watch`, in its own session) hears of every
    database created and dropped, and drops what is left once the grader is gone, however it
    ended: its stdin reaches end of file.
    """

    watcher: subprocess.Popen | None = None

    @classmethod
    def connect(cls, url: str) -> ExistingServer:
        import psycopg

        dsn = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
        if not dsn.startswith("postgresql://"):
            raise UserError(f"--db-url must be a postgresql:// URL, not {url!r}")
        try:
            probe = psycopg.connect(dsn, connect_timeout=10)
        except psycopg.Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            raise UserError(f"cannot connect to --db-url: {first}") from None
        info = probe.info
        admin = PgEndpoint(info.host, int(info.port), info.user, info.password or "",
                           info.dbname)
        probe.close()
        server = cls(admin, None)
        server.counting = server._find_counting()
        server.watcher = subprocess.Popen(
            [sys.executable, "-I", "-m", "grader.postgres.keeper", "watch"], stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            cwd="/", env={"PATH": os.environ.get("PATH", "")})
        server._tell(dsn)
        return server

    def _tell(self, line: str) -> None:
        if self.watcher is not None and self.watcher.stdin is not None:
            self.watcher.stdin.write(line.encode() + b"\n")  # one short write: atomic in a pipe
            self.watcher.stdin.flush()

    def _note(self, verb: str, name: str) -> None:
        self._tell(f"{verb} {name}")

    def close(self) -> None:
        super().close()
        if self.watcher is not None and os.getpid() == self.owner_pid:
            _stop_keeper(self.watcher)

    def _find_counting(self) -> str | None:
        for attempt in ("SELECT 1 FROM pg_stat_statements LIMIT 1",
                        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
                        "SELECT 1 FROM pg_stat_statements LIMIT 1"):
            try:
                self.admin_query(attempt)
                if attempt.startswith("SELECT"):
                    return "pg_stat_statements"
            except Exception:  # noqa: BLE001 - not installed, not preloaded, not allowed
                continue
        return None

    def _new_owner(self, name: str) -> tuple[str, str]:
        return self.admin.user, self.admin.password

    def _drop_owner(self, user: str) -> None:
        pass  # the given user is the server's, not ours

    def _expose(self, run_dir: Path) -> Callable[[], None]:
        host = self.admin.host
        target: str | tuple[str, int] = (
            f"{host}/.s.PGSQL.{self.admin.port}" if host.startswith("/")
            else (host, self.admin.port))
        return Relay(run_dir / f".s.PGSQL.{self.admin.port}", target).close


def _has_pg_stat_statements(bin_dir: str) -> bool:
    lib = Path(bin_dir).parent / "lib"
    return any((folder / "pg_stat_statements.so").is_file()
               for folder in (lib, lib / "postgresql"))


def _base_dir() -> str:
    """The temporary folder, if the `postgres` user can reach into it (as root), else /tmp."""
    base = tempfile.gettempdir()
    if os.geteuid() != 0:
        return base
    current = "/"
    for part in Path(base).parts[1:]:
        current = os.path.join(current, part)
        if not os.stat(current).st_mode & stat.S_IXOTH:
            return "/tmp"
    return base


def _data_dir(root: Path) -> Path:
    """Where the cluster's files go: a RAM-backed /dev/shm when it has room (creating and
    dropping a database there is several times faster than on a disk), else beside the socket."""
    try:
        shm = os.statvfs("/dev/shm")
        if shm.f_bavail * shm.f_frsize >= 1 << 30 and os.access("/dev/shm", os.W_OK):
            return Path("/dev/shm")
    except OSError:
        pass
    return root


def _read_line(stream: Any, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([stream], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            break
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").strip()


def _stop_keeper(keeper: subprocess.Popen) -> None:
    """Closing its stdin tells the keeper to stop the server and remove the cluster."""
    with contextlib.suppress(OSError):
        if keeper.stdin:
            keeper.stdin.close()
    try:
        keeper.wait(30)
    except subprocess.TimeoutExpired:
        keeper.kill()
        keeper.wait()
    if keeper.stdout:
        keeper.stdout.close()
