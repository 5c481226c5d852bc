"""The processes that outlive nothing: `python -m grader.postgres.keeper ROOT DATA BIN_DIR
COUNTING` starts a throwaway cluster and removes it when its stdin closes (the grader is gone,
however it ended); `python -m grader.postgres.keeper watch` drops the databases made on a given
server. Standard library only, so that they start fast under `python -I`."""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ADMIN = "kata_admin"
PORT = 5432
MAX_CONNECTIONS = 200  # of the cluster
START_TIMEOUT = 60.0
LOG_PREFIX = "%d|%u|"  # the statement log's lines start with database|user|
PR_SET_PDEATHSIG = 1


def quote_ident(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def _die_with_parent(signal_number: int) -> Callable[[], None]:
    def apply() -> None:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0)
    return apply


def _as_owner() -> dict[str, Any]:
    """Popen arguments that run a PostgreSQL program as `postgres` when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


def _start_server(root: Path, data: Path, bin_dir: str, password: str,
                  counting: str) -> subprocess.Popen:
    sockets, pwfile = root / "socket", root / "pwfile"
    os.chmod(root, 0o711)
    os.chmod(data, 0o700)
    sockets.mkdir(mode=0o700)
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (data, sockets, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    initdb = subprocess.run(
        [f"{bin_dir}/initdb", "-D", str(data), "-U", ADMIN, f"--pwfile={pwfile}",
         "-A", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
        capture_output=True, text=True, cwd="/", **_as_owner())
    pwfile.unlink()
    if initdb.returncode != 0:
        raise RuntimeError("initdb: " + (initdb.stderr.strip().splitlines() or ["failed"])[-1])
    settings = {
        "listen_addresses": "", "port": str(PORT), "unix_socket_directories": str(sockets),
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "autovacuum": "off", "max_connections": str(MAX_CONNECTIONS), "shared_buffers": "32MB",
    }
    if counting == "pg_stat_statements":
        settings.update({"shared_preload_libraries": "pg_stat_statements",
                         "pg_stat_statements.track_utility": "off",
                         "pg_stat_statements.max": "10000"})
    else:
        settings.update({"log_statement": "all", "log_line_prefix": LOG_PREFIX})
    with open(root / "postgres.log", "ab") as log:
        server = subprocess.Popen(
            [f"{bin_dir}/postgres", "-D", str(data),
             *[arg for key, value in settings.items() for arg in ("-c", f"{key}={value}")]],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd="/", start_new_session=True,
            preexec_fn=_die_with_parent(signal.SIGQUIT), **_as_owner())
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = (root / "postgres.log").read_text(errors="replace").strip().splitlines()
            raise RuntimeError("postgres: " + (tail[-1] if tail else "exited"))
        with contextlib.suppress(OSError):
            if "ready" in (data / "postmaster.pid").read_text():
                return server
        time.sleep(0.01)
    raise RuntimeError("postgres did not get ready in time")


def _stop_server(server: subprocess.Popen) -> None:
    """Immediate shutdown: SIGQUIT makes the postmaster stop its children (each in a process
    group of its own) and wait for them; SIGKILL if it hangs, after which the children see
    the postmaster gone and leave by themselves."""
    for signal_number, wait in ((signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal_number)
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def keep(root: Path, data: Path, bin_dir: str, counting: str) -> None:
    password = sys.stdin.readline().strip()
    server: subprocess.Popen | None = None

    def leave(*_: object) -> None:
        raise SystemExit(0)

    for signal_number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signal_number, leave)
    try:
        server = _start_server(root, data, bin_dir, password, counting)
        print("ready", flush=True)
        sys.stdin.read()  # until the grader closes the pipe, or dies
    except Exception as error:  # noqa: BLE001 - reported to the grader in one line
        message = " ".join(str(error).split())
        with contextlib.suppress(OSError):
            print(f"error {message}", flush=True)
    finally:
        if server is not None:
            _stop_server(server)
        for folder in (root, data):
            shutil.rmtree(folder, ignore_errors=True)


def watch() -> None:
    """Until end of input, track `create NAME` / `drop NAME`; then drop what is still there."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    dsn = sys.stdin.readline().strip()
    live: set[str] = set()
    for line in sys.stdin:
        verb, _, name = line.strip().partition(" ")
        if verb == "create":
            live.add(name)
        elif verb == "drop":
            live.discard(name)
    if live:
        import psycopg

        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as connection:
            for name in sorted(live):
                with contextlib.suppress(psycopg.Error):
                    connection.execute(
                        f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)")


if __name__ == "__main__":
    if sys.argv[1:] == ["watch"]:
        watch()
    else:
        keep(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
