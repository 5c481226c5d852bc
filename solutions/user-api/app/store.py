"""Users in memory, behind one lock. With $DATA_DIR set, each change is first appended to a log
there, then applied: what a client was told is done survives a restart (the log is replayed)."""

import json
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
            for line in path.read_text().splitlines():
                self._apply(json.loads(line))

    def _apply(self, change: dict) -> None:
        if change["op"] == "put":
            user = change["user"]
            self._users[user["id"]] = user
            self._next_id = max(self._next_id, user["id"] + 1)
        else:
            self._users.pop(change["id"], None)

    def _record(self, change: dict) -> None:
        """Log the change, then apply it: a crash between the two loses nothing acknowledged."""
        if self._path is not None:
            with self._path.open("a") as log:
                log.write(json.dumps(change) + "\n")
        self._apply(change)

    def _taken(self, email: str, but: int | None = None) -> bool:
        return any(user["email"].casefold() == email.casefold() and user_id != but
                   for user_id, user in self._users.items())

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
            self._record({"op": "put", "user": user})
            return dict(user)

    def update(self, user_id: int, changes: dict) -> dict | None:
        with self._lock:
            if user_id not in self._users:
                return None
            if "email" in changes and self._taken(changes["email"], but=user_id):
                raise EmailTaken(changes["email"])
            user = {**self._users[user_id], **changes}
            self._record({"op": "put", "user": user})
            return dict(user)

    def delete(self, user_id: int) -> bool:
        with self._lock:
            if user_id not in self._users:
                return False
            self._record({"op": "delete", "id": user_id})
            return True
