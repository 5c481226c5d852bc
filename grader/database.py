"""The grader's own handle on the grading database: it owns the data, the schema checks and the
planted failures, and reads the database directly instead of trusting what the app says.

SQL is written with `:name` parameters; each backend adapts them.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


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


class SqliteDatabase:
    """A SQLite file in the sandbox's run folder, which the candidate's app may write to.

    Because candidate processes can replace files in that folder, every connection first checks
    that the path is still a plain file (never a link to something the grader could damage).
    """

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    def template_values(self) -> dict[str, str]:
        return {"db_path": str(self.path)}

    def sync_url(self) -> str:
        return f"sqlite:///{self.path}"

    def _create_for_candidate(self, path: Path) -> None:
        """A file the grader creates must stay writable by the candidate's app: it belongs to
        the owner of the run folder (the sandbox uid)."""
        sqlite3.connect(path).close()
        owner = path.parent.stat().st_uid
        if os.geteuid() == 0 and owner != 0:
            os.chown(path, owner, owner)

    def _connect(self) -> sqlite3.Connection:
        if not os.path.lexists(self.path):
            self._create_for_candidate(self.path)  # the candidate's migrations created nothing
        else:
            info = self.path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                raise RuntimeError(f"{self.path.name} is no longer a plain database file")
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        connection.row_factory = sqlite3.Row
        return connection

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        connection = self._connect()
        try:
            return [dict(row) for row in connection.execute(sql, params or {})]
        finally:
            connection.close()

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        connection = self._connect()
        try:
            connection.execute(sql, params or {})
        finally:
            connection.close()

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        names = list(rows[0])
        sql = (f"INSERT INTO {table} ({', '.join(names)}) "
               f"VALUES ({', '.join(':' + n for n in names)})")
        connection = self._connect()
        try:
            with connection:
                connection.execute("BEGIN")
                connection.executemany(sql, rows)
        finally:
            connection.close()

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
        target = self.path.with_name(name)
        self._create_for_candidate(target)
        source, copy = self._connect(), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return SqliteDatabase(target)

    def statement_count(self) -> int | None:
        return None  # SQLite has no server: the app process counts (see roles._count_statements)


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name
