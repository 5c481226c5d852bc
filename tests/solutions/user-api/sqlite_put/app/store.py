"""Users in the SQLite file $DATABASE_URL names; a unique index on lower(email) keeps emails
unique, whatever threads race to insert."""

import os
import sqlite3
import threading


class EmailTaken(Exception):
    pass


COLUMNS = ("id", "name", "email", "age")


class UserStore:
    def __init__(self, url: str) -> None:
        self._db = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False,
                                   isolation_level=None)
        self._lock = threading.Lock()  # one connection, used by one thread at a time
        self._db.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY "
                         "AUTOINCREMENT, name TEXT NOT NULL, email TEXT NOT NULL, age INTEGER)")
        self._db.execute("CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (lower(email))")

    def _run(self, sql: str, *params: object) -> list[dict]:
        with self._lock:
            try:
                rows = self._db.execute(sql, params).fetchall()
            except sqlite3.IntegrityError:
                raise EmailTaken(params) from None
        return [dict(zip(COLUMNS, row, strict=True)) for row in rows]

    def page(self, where: str, params: list, limit: int, offset: int) -> list[dict]:
        return self._run(f"SELECT id, name, email, age FROM users WHERE {where} ORDER BY id "
                         "LIMIT ? OFFSET ?", *params, limit, offset)

    def get(self, user_id: int) -> dict | None:
        found = self._run("SELECT id, name, email, age FROM users WHERE id = ?", user_id)
        return found[0] if found else None

    def create(self, name: str, email: str, age: int | None) -> dict:
        return self._run("INSERT INTO users (name, email, age) VALUES (?, ?, ?) "
                         "RETURNING id, name, email, age", name, email, age)[0]

    def update(self, user_id: int, changes: dict) -> dict | None:
        if not changes:
            return self.get(user_id)
        sets = ", ".join(f"{column} = ?" for column in changes)  # columns from the schema
        found = self._run(f"UPDATE users SET {sets} WHERE id = ? RETURNING id, name, email, age",
                          *changes.values(), user_id)
        return found[0] if found else None

    def delete(self, user_id: int) -> bool:
        return bool(self._run("DELETE FROM users WHERE id = ? RETURNING id, name, email, age",
                              user_id))


def open_store() -> UserStore:
    return UserStore(os.environ.get("DATABASE_URL", "sqlite:///users.db"))
