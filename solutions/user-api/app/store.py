"""Users in memory, behind one lock, written through to a JSON file in $DATA_DIR when set."""

import json
import os
import threading
from pathlib import Path


class EmailTaken(Exception):
    pass


class UserStore:
    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._users: dict[int, dict] = {}
        self._next_id = 1
        if path is not None and path.exists():
            saved = json.loads(path.read_text())
            self._users = {user["id"]: user for user in saved["users"]}
            self._next_id = saved["next_id"]

    def _taken(self, email: str, but: int | None = None) -> bool:
        return any(user["email"].casefold() == email.casefold() and user_id != but
                   for user_id, user in self._users.items())

    def _save(self) -> None:
        if self._path is None:
            return
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"users": list(self._users.values()),
                                         "next_id": self._next_id}))
        os.replace(temporary, self._path)

    def list(self) -> list[dict]:
        with self._lock:
            return [dict(user) for _, user in sorted(self._users.items())]

    def get(self, user_id: int) -> dict | None:
        with self._lock:
            user = self._users.get(user_id)
            return dict(user) if user else None

    def create(self, fields: dict) -> dict:
        with self._lock:
            if self._taken(fields["email"]):
                raise EmailTaken(fields["email"])
            user = {"id": self._next_id, **fields}
            self._users[user["id"]] = user
            self._next_id += 1
            self._save()
            return dict(user)

    def update(self, user_id: int, changes: dict) -> dict | None:
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                return None
            if "email" in changes and self._taken(changes["email"], but=user_id):
                raise EmailTaken(changes["email"])
            user.update(changes)
            self._save()
            return dict(user)

    def delete(self, user_id: int) -> bool:
        with self._lock:
            if self._users.pop(user_id, None) is None:
                return False
            self._save()
            return True
