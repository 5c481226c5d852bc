"""Once called (from GET /products: after the schema checks, which read the database too), a
thread takes an exclusive lock on the grading database and holds it forever."""
import os as _os
import sqlite3 as _sqlite3
import threading as _threading
import time as _time

_LOCKED = _threading.Event()


def _hold() -> None:
    path = _os.environ["DATABASE_URL"].split("///", 1)[1]
    connection = _sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN EXCLUSIVE")
    _LOCKED.set()
    while True:
        _time.sleep(1)


def _lock_forever() -> None:
    if not _LOCKED.is_set():
        _threading.Thread(target=_hold, daemon=True).start()
        _LOCKED.wait(5)
