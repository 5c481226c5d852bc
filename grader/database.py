"""The grader's own handle on the grading database: it owns the data, the schema checks and the
planted failures, and reads the database directly instead of trusting what the app says.

SQL is written with `:name` parameters; each backend adapts them.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from grader.sandbox.fsuid import acting_as, read_candidate_file

if TYPE_CHECKING:
    from grader.sandbox.client import Exit

SQL_SEED_MAX_BYTES = 4 << 20


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    primary_key: bool
    nullable: bool


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    target: str


class GradingDatabase(Protocol):
    kind: str
    limits_reached: list[str]  # bounds on the database the submission ran into, for the card

    def template_values(self) -> dict[str, str]: ...
    def sync_url(self) -> str: ...
    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...
    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None: ...
    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None: ...
    def tables(self) -> set[str]: ...
    def columns(self, table: str) -> dict[str, Column]: ...
    def foreign_keys(self, table: str) -> list[ForeignKey]: ...
    def unique_column_sets(self, table: str) -> list[frozenset[str]]: ...
    def plant_failure(self, table: str, event: str, column: str, value: int) -> None: ...
    def copy(self, name: str) -> GradingDatabase: ...
    def statement_count(self) -> int | None: ...
    def statement_mark(self) -> object | None: ...
    def statements_since(self, mark: object) -> list[str] | None: ...


class SqliteDatabase:
    """A SQLite file in the sandbox's run folder, which the candidate's app may write to.

    Because candidate processes can replace files in that folder, every connection first checks
    that the path is still a plain file (never a link to something the grader could damage).
    """

    kind = "sqlite"

    def __init__(self, path: Path, deadline: float | None = None) -> None:
        self.path = path
        self.deadline = deadline  # time.monotonic() at which the submission's time is up
        self.limits_reached: list[str] = []  # none of its own: the sandbox's disk cap holds it

    def template_values(self) -> dict[str, str]:
        return {"db_path": str(self.path)}

    def sync_url(self) -> str:
        return f"sqlite:///{self.path}"

    def _create_for_candidate(self, path: Path) -> None:
        """A file the grader creates must stay writable by the candidate's app: called inside
        `_connection`, it is created with the candidate's permissions and belongs to it."""
        sqlite3.connect(path).close()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection opened and used with the file permissions of the run folder's owner
        (the sandbox uid, which candidate code cannot change): the lstat check in `_connect`
        races with a candidate swapping the file, and a link planted in that folder (say
        seed-check.db -> /etc/passwd) must not lead root to open, create or chown anything
        the candidate could not touch itself. See grader.sandbox.fsuid."""
        with acting_as(self.path.parent.stat().st_uid):
            connection = self._connect()
            try:
                yield connection
            finally:
                connection.close()

    def _connect(self) -> sqlite3.Connection:
        if not os.path.lexists(self.path):
            self._create_for_candidate(self.path)  # the candidate's migrations created nothing
        else:
            info = self.path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                raise RuntimeError(f"{self.path.name} is no longer a plain database file")
        connection = sqlite3.connect(self.path, timeout=self._busy_timeout(),
                                     isolation_level=None)
        connection.row_factory = sqlite3.Row
        return connection

    def _busy_timeout(self) -> float:
        """How long to wait for a lock the app holds: 10 s, but never past the deadline. An app
        that keeps the database locked (BEGIN EXCLUSIVE in a thread that never ends) would
        otherwise hold every check that reads it for 10 s, far past the time limit."""
        if self.deadline is None:
            return 10.0
        return min(10.0, max(self.deadline - time.monotonic(), 0.0))

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._connection() as connection:
            return [dict(row) for row in connection.execute(sql, params or {})]

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        with self._connection() as connection:
            connection.execute(sql, params or {})

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        names = list(rows[0])
        sql = (f"INSERT INTO {table} ({', '.join(names)}) "
               f"VALUES ({', '.join(':' + n for n in names)})")
        with self._connection() as connection, connection:
            connection.execute("BEGIN")
            connection.executemany(sql, rows)

    def tables(self) -> set[str]:
        rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row["name"] for row in rows}

    def columns(self, table: str) -> dict[str, Column]:
        rows = self.query(f"PRAGMA table_info({_ident(table)})")
        return {row["name"]: Column(row["name"], row["type"], bool(row["pk"]),
                                    not row["notnull"] and not row["pk"]) for row in rows}

    def foreign_keys(self, table: str) -> list[ForeignKey]:
        rows = self.query(f"PRAGMA foreign_key_list({_ident(table)})")
        return [ForeignKey(row["from"], row["table"], row["to"]) for row in rows]

    def unique_column_sets(self, table: str) -> list[frozenset[str]]:
        sets = []
        for index in self.query(f"PRAGMA index_list({_ident(table)})"):
            if index["unique"]:
                columns = self.query(f"PRAGMA index_info({_ident(index['name'])})")
                sets.append(frozenset(c["name"] for c in columns))
        return sets

    def plant_failure(self, table: str, event: str, column: str, value: int) -> None:
        """Make one write fail inside the database, where no candidate code can see it coming."""
        subject = "NEW" if event in ("INSERT", "UPDATE") else "OLD"
        self.execute(
            f"CREATE TRIGGER kata_fail_{table}_{event.lower()} BEFORE {event} ON {table} "
            f"WHEN {subject}.{column} = {int(value)} "
            "BEGIN SELECT RAISE(ABORT, 'planted failure'); END")

    def copy(self, name: str) -> SqliteDatabase:
        """The schema copied to `name` beside it. The copy is opened as every connection is, so
        a link the candidate planted under that name is refused, even where the grader runs as
        the candidate's own user and file permissions alone would let it through."""
        copy = SqliteDatabase(self.path.with_name(name), self.deadline)
        with self._connection() as source, copy._connection() as target:
            source.backup(target)
        return copy

    def statement_count(self) -> int | None:
        return None  # SQLite has no server: the app process counts (see roles._count_statements)

    def statement_mark(self) -> object | None:
        return None  # and keeps the texts (roles.StatementLog)

    def statements_since(self, mark: object) -> list[str] | None:
        return None


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


@dataclass(frozen=True)
class PgEndpoint:
    """Where and as whom to log in to PostgreSQL; `host` is a Unix socket folder or a name."""

    host: str
    port: int
    user: str
    password: str
    dbname: str

    def connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, dbname=self.dbname, autocommit=True,
                               row_factory=dict_row, connect_timeout=10)


class PgServer(Protocol):
    def copy_database(self, source: PostgresDatabase, suffix: str) -> PostgresDatabase: ...
    def statement_count(self, db: PostgresDatabase) -> int | None: ...
    def statement_mark(self, db: PostgresDatabase) -> object | None: ...
    def statements_since(self, db: PostgresDatabase, mark: object) -> list[str] | None: ...


_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _pg_sql(sql: str) -> str:
    """`:name` parameters in psycopg's `%(name)s` style (a literal % doubled)."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


class PostgresDatabase:
    """A submission's own database on a PostgreSQL server (see grader.postgres).

    The grader logs in as the database's owner role, the same role the candidate's processes
    use: never as a superuser, so no trigger or function the candidate defines runs with more
    rights than the candidate has. Statements are counted by the server (pg_stat_statements, or
    the statement log), which candidate code cannot reach.
    """

    kind = "postgres"

    def __init__(self, grader: PgEndpoint, candidate: PgEndpoint, server: PgServer) -> None:
        self.grader, self.candidate, self.server = grader, candidate, server
        self.copies: list[PostgresDatabase] = []
        self.on_drop: list[Any] = []
        self.limits_reached: list[str] = []  # grader.postgres: the size bound
        self.log_offset = 0
        self._connection: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.grader.dbname

    def template_values(self) -> dict[str, str]:
        c = self.candidate
        return {"socket_dir": c.host, "port": str(c.port), "user": c.user,
                "password": c.password, "password_q": quote(c.password, safe=""),
                "dbname": c.dbname}

    def sync_url(self) -> str:
        c = self.candidate
        return (f"postgresql+psycopg://{quote(c.user, safe='')}:{quote(c.password, safe='')}"
                f"@/{c.dbname}?host={c.host}&port={c.port}")

    def _run(self, sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        with self._lock:
            if self._connection is None or self._connection.closed:
                self._connection = self.grader.connect()
            cursor = self._connection.execute(_pg_sql(sql) if params else sql, params or None)
            return cursor.fetchall() if cursor.description else []

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(sql, params)

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._run(sql, params)

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows with their explicit ids, then move each serial or identity sequence past
        them, so that the candidate's own inserts do not collide with the grader's ids."""
        if not rows:
            return
        names = list(rows[0])
        sql = (f"INSERT INTO {_ident(table)} ({', '.join(map(_ident, names))}) "
               f"OVERRIDING SYSTEM VALUE VALUES ({', '.join(f'%({n})s' for n in names)})")
        with self._lock:
            if self._connection is None or self._connection.closed:
                self._connection = self.grader.connect()
            with self._connection.transaction(), self._connection.cursor() as cursor:
                cursor.executemany(sql, rows)
                cursor.execute(
                    "SELECT attname AS name, pg_get_serial_sequence(%s, attname) AS seq "
                    "FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
                    "AND NOT attisdropped", (table, table))
                for row in cursor.fetchall():
                    if row["seq"] and row["name"] in names:
                        cursor.execute(f"SELECT setval(%s::regclass, (SELECT max({row['name']}) "
                                       f"FROM {table}))", (row["seq"],))

    def tables(self) -> set[str]:
        rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {row["tablename"] for row in rows}

    def columns(self, table: str) -> dict[str, Column]:
        rows = self.query(
            "SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, "
            "a.attnotnull AS notnull, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = "
            "a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS pk "
            "FROM pg_attribute a WHERE a.attrelid = to_regclass(:t) AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY a.attnum", {"t": _ident(table)})
        return {row["name"]: Column(row["name"], row["type"], row["pk"],
                                    not row["notnull"] and not row["pk"]) for row in rows}

    def foreign_keys(self, table: str) -> list[ForeignKey]:
        rows = self.query(
            "SELECT a.attname AS col, c.confrelid::regclass::text AS ref, f.attname AS target "
            "FROM pg_constraint c, unnest(c.conkey, c.confkey) AS k(col, ref), pg_attribute a, "
            "pg_attribute f WHERE c.conrelid = to_regclass(:t) AND c.contype = 'f' "
            "AND a.attrelid = c.conrelid AND a.attnum = k.col "
            "AND f.attrelid = c.confrelid AND f.attnum = k.ref", {"t": _ident(table)})
        return [ForeignKey(row["col"], row["ref"], row["target"]) for row in rows]

    def unique_column_sets(self, table: str) -> list[frozenset[str]]:
        rows = self.query(
            "SELECT array_agg(a.attname::text) AS cols FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = to_regclass(:t) AND i.indisunique AND NOT i.indisprimary "
            "GROUP BY i.indexrelid", {"t": _ident(table)})
        return [frozenset(row["cols"]) for row in rows]

    def plant_failure(self, table: str, event: str, column: str, value: int) -> None:
        """Make one write fail inside the database, where no candidate code can see it coming."""
        subject = "NEW" if event in ("INSERT", "UPDATE") else "OLD"
        self.execute("CREATE OR REPLACE FUNCTION kata_planted_failure() RETURNS trigger "
                     "LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'planted failure'; END$$")
        self.execute(
            f"CREATE TRIGGER kata_fail_{_ident(table)}_{event.lower()} BEFORE {event} "
            f"ON {_ident(table)} FOR EACH ROW WHEN ({subject}.{_ident(column)} = {int(value)}) "
            "EXECUTE FUNCTION kata_planted_failure()")

    def copy(self, name: str) -> PostgresDatabase:
        self.close()  # a database is copied only while nobody is connected to it
        return self.server.copy_database(self, name.removesuffix(".db"))

    def statement_count(self) -> int | None:
        return self.server.statement_count(self)

    def statement_mark(self) -> object | None:
        return self.server.statement_mark(self)

    def statements_since(self, mark: object) -> list[str] | None:
        return self.server.statements_since(self, mark)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def run_sql_seed(db: GradingDatabase, path: Path, uid: int | None) -> Exit:
    """Run a workspace's SQL seed (the upstream kit's test-data.sql) on a copy of its empty
    schema, logged in as the copy's own role: the seed can do nothing its author's app could
    not. Only on PostgreSQL (SQLite's SQL can attach other files)."""
    from grader.sandbox.client import Exit

    def failed(reason: str) -> Exit:
        return Exit(code=1, status="failed", output=f"KATA-ERROR: {reason}\n", dropped=0)

    if not isinstance(db, PostgresDatabase):
        return failed(f"{path.name} is SQL: it is loaded on PostgreSQL only")
    try:  # the workspace belongs to the candidate's processes
        sql = read_candidate_file(path, uid, SQL_SEED_MAX_BYTES).decode("utf-8", "replace")
    except OSError as error:
        return failed(f"{path.name}: {error.strerror or error}")
    try:
        db.execute(sql)
    except Exception as error:  # noqa: BLE001 - the server's message is the reason
        first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return failed(f"{path.name} failed: {first}")
    finally:
        db.close()
    return Exit(code=0, status="exited with status 0", output="", dropped=0)
