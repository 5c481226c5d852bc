"""`kata check --watch`: grade the workspace once, then again after every save in it.

Each run is graded as `kata check` grades, in this process's reach: by a fork of the warm grader,
else by a fork of this process (PostgreSQL by --db or --db-url, warm servers off, a warm grader
that went away), which preloads the checks once. A save while a run goes on cancels the run,
whose copy of the workspace is stale by then: the warm grader's fork leaves when its client hangs
up, a fork of ours is interrupted, and either way the submission's sandbox session takes its
processes and folders with it. The seed is drawn once per watch, so that two runs differ by what
was saved, not by the hidden data.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import selectors
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from grader.errors import UserError
from grader.options import GradeOptions
from grader.progress import record_check
from grader.sandbox.folder import SKIP_DIRS
from grader.scoring import Scorecard
from grader.spinner import spinner
from grader.warm_check import (
    connect,
    grade_reply,
    parse_reply,
    progress_line,
    send_request,
    take_progress,
    warm_grader_process,
)
from grader.workspace import resolve_workspace

if TYPE_CHECKING:
    from grader.postgres.shared import SharedPostgres
    from grader.sandbox.client import ForkServer
    from grader.sandbox.warm import WarmProcess

# watchfiles yields once a save's burst of events (an editor writes a backup, a probe file and
# the file itself within milliseconds) has been quiet for STEP_MS, or after DEBOUNCE_MS at most.
STEP_MS = 50
DEBOUNCE_MS = 1600
CANCEL_PATIENCE = 10.0  # for a cancelled grader to clean up and leave, before SIGKILL
# A warm grader's fork hung up on before its first candidate process starts (some 30 ms in)
# leaves its sandbox folder behind: only a session's processes tie the folder to the fork
# server. So a warm run is cancelled no sooner than this after it started.
WARM_MIN_AGE = 0.25
_STOPPING = {signal.SIGINT, signal.SIGTERM}


IGNORED_DIRS = frozenset({*SKIP_DIRS, ".kata", ".ruff_cache", ".tox", ".hypothesis", ".idea",
                          ".hg", ".svn"})
# Databases and their journals; editors' swap, backup, lock, autosave and probe files.
_IGNORED_NAMES = re.compile(r"\.py[cod]$|\.db(-journal|-wal|-shm)?$|\.sw.$|~$|\.bak$|^\.#|^#.*#$"
                            r"|^4913$|\.___jb_...___$|^\.DS_Store$|^flycheck_")


def relevant(path: str) -> bool:
    """Whether a save of `path` (relative to the workspace) changes what the grader grades: not
    in a virtualenv, a cache or the workspace marker's folder, and no database or editor file.
    Relative, so that a workspace inside a folder named, say, `venv` is still watched."""
    parts = Path(path).parts
    return bool(parts) and not IGNORED_DIRS.intersection(parts) \
        and not _IGNORED_NAMES.search(parts[-1])


# --- what a run changed ---------------------------------------------------------------------

@dataclass(frozen=True)
class ItemChange:
    text: str
    before: float
    after: float


@dataclass(frozen=True)
class Miss:
    item: str
    reason: str


@dataclass(frozen=True)
class WatchChange:
    """What a run changed since the one before: what a candidate reads after a save."""

    first: bool  # no run before it
    score: float
    max_score: float
    previous_score: float | None
    gained: tuple[ItemChange, ...]
    lost: tuple[ItemChange, ...]
    first_miss: Miss | None  # None: every auto item has full points
    new_first_miss: bool  # not the last run's first miss (always so on the first run)


def first_miss(card: Scorecard) -> Miss | None:
    """The first auto item short of full points, with the first thing it missed."""
    return next((Miss(item.text, item.reason or card.error or item.status)
                 for item in card.items if item.mode == "auto" and item.status != "passed"), None)


def compare(previous: Scorecard | None, current: Scorecard) -> WatchChange:
    before = {item.id: item.earned for item in previous.items} if previous else {}
    changed = [ItemChange(item.text, before.get(item.id, 0.0), item.earned)
               for item in current.items if previous and item.earned != before.get(item.id, 0.0)]
    miss = first_miss(current)
    return WatchChange(
        first=previous is None, score=current.score, max_score=current.max_score,
        previous_score=previous.score if previous else None,
        gained=tuple(item for item in changed if item.after > item.before),
        lost=tuple(item for item in changed if item.after < item.before),
        first_miss=miss, new_first_miss=previous is None or miss != first_miss(previous))


# --- saves ----------------------------------------------------------------------------------

class _Saves:
    """watchfiles in a thread of its own that wakes the main thread through a pipe, which the
    main thread waits on beside a grader's reply. A signal writes to the pipe as well: the
    kernel may give Ctrl-C to any thread, and Python runs its handler in the main thread only
    once that one wakes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fd, self._wake = os.pipe()
        os.set_blocking(self._wake, False)
        signal.set_wakeup_fd(self._wake)
        self._paths: set[str] = set()
        self._failure: Exception | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        from watchfiles import watch

        def counts(_: object, path: str) -> bool:
            return relevant(os.path.relpath(path, self.root))

        try:
            for changes in watch(self.root, watch_filter=counts, debounce=DEBOUNCE_MS,
                                 step=STEP_MS, stop_event=self._stop):
                with self._lock:
                    self._paths.update(os.path.relpath(path, self.root) for _, path in changes)
                self._wake_up()
        except Exception as error:  # noqa: BLE001 - the main thread says it, and ends
            self._failure = error
            self._wake_up()

    def _wake_up(self) -> None:
        with contextlib.suppress(BlockingIOError):  # full: it will wake anyway
            os.write(self._wake, b".")

    def pending(self) -> bool:
        """Whether files were saved since the last `take`, or watching failed (blocks until the
        pipe wakes)."""
        os.read(self.fd, 1 << 16)
        with self._lock:
            return bool(self._paths) or self._failure is not None

    def take(self) -> list[str]:
        """The files saved since the last call; UserError if watching failed."""
        if self._failure is not None:
            raise UserError(f"watching {self.root} failed: {self._failure}")
        with self._lock:
            paths, self._paths = sorted(self._paths), set()
        return paths

    def wait(self) -> list[str]:
        """The files saved next (paths in the workspace)."""
        while not self.pending():
            pass
        return self.take()

    def close(self) -> None:
        signal.set_wakeup_fd(-1)
        self._stop.set()


# --- a run's grader -------------------------------------------------------------------------

@dataclass
class _Job:
    """One run's grader: a fork of the warm grader over `connection`, or of this process
    (`pid`); its reply arrives on `fd`."""

    fd: int
    connection: socket.socket | None = None
    pid: int | None = None
    started: float = field(default_factory=time.monotonic)
    data: bytearray = field(default_factory=bytearray)
    closed: bool = False

    def read(self) -> bool:
        """Take what has arrived; False at the end of the reply. A progress line (a stack's
        first build) is shown on stderr."""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            chunk = b""
        self.data += chunk
        for message in take_progress(self.data):
            print(message, file=sys.stderr, flush=True)
        return bool(chunk)

    def finish(self) -> Scorecard | None:
        """The scorecard; None when a warm grader went away without one (grade it here). Bad
        input raises UserError."""
        self._close()
        card = parse_reply(bytes(self.data))
        if card is None and self.connection is None:
            raise UserError("the grader process died without a scorecard")
        return card

    def cancel(self) -> None:
        """Stop the grader, unless it finished, and wait until it is gone, its sandbox session
        with it."""
        if self.closed:
            return
        if self.connection is not None:
            time.sleep(max(0.0, self.started + WARM_MIN_AGE - time.monotonic()))
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)  # it hears end of file and leaves
                self.connection.settimeout(CANCEL_PATIENCE)
                while self.connection.recv(1 << 16):  # until its end closes: it is gone
                    pass
        elif self.pid is not None:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + CANCEL_PATIENCE
            while os.waitpid(self.pid, os.WNOHANG)[0] == 0:
                if time.monotonic() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.01)
            self.pid = None  # reaped
        self._close()

    def _close(self) -> None:
        self.closed = True
        if self.connection is not None:
            self.connection.close()
            return
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None


def _interrupt_once(*_: object) -> None:
    """The first signal interrupts the grading; a second must not cut its clean-up short."""
    for number in _STOPPING:
        signal.signal(number, signal.SIG_IGN)
    raise KeyboardInterrupt


def _grade_in_child(source: Path, options: GradeOptions, host: ForkServer,
                    cluster: SharedPostgres | None, reply: int) -> NoReturn:
    """The forked grader. Interrupted (a newer save, Ctrl-C), grade_one removes the sandbox on
    its way out, and no reply is sent."""
    try:
        signal.set_wakeup_fd(-1)  # the watch's pipe
        for number in _STOPPING:
            signal.signal(number, _interrupt_once)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
        try:
            answer = grade_reply(source, options, host, cluster,
                                 announce=lambda message: os.write(reply, progress_line(message)))
        except Exception as error:  # noqa: BLE001 - this run's error; the watch goes on
            answer = {"error": f"the grader failed: {error!r}", "exit_code": 1}
        with os.fdopen(reply, "wb") as stream:
            stream.write(json.dumps(answer).encode())
    finally:
        os._exit(0)


@dataclass
class _Graders:
    """Where runs are graded: by the warm grader when allowed and there, else by forks of this
    process, which preload the checks once and share one PostgreSQL if the workspace needs it."""

    source: Path
    options: GradeOptions
    warm: WarmProcess | None
    host: ForkServer | None
    first: socket.socket | None  # opened by `kata check` before it parsed its arguments
    cluster: SharedPostgres | None = None
    prepared: bool = False

    def start(self, *, warm: bool = True) -> _Job:
        first, self.first = self.first, None
        if warm and self.warm is not None:
            connection = first or connect(self.warm)
            if connection is not None:
                try:
                    send_request(connection, self.source, self.options)
                    return _Job(connection.fileno(), connection=connection)
                except OSError:
                    connection.close()
        return self._fork()

    def _fork(self) -> _Job:
        host = self._local_host()
        read_end, write_end = os.pipe()
        # Blocked until the child has handlers of its own: our Ctrl-C handler must never run in
        # it, where it would unwind into this watch's own clean-up.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _grade_in_child(self.source, self.options, host, self.cluster, write_end)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
        os.close(write_end)
        return _Job(read_end, pid=pid)

    def _local_host(self) -> ForkServer:
        if not self.prepared:
            from grader.postgres.shared import SharedPostgres
            from grader.sandbox.warm import fork_server
            from grader.session import needs_postgres, preload_graders

            preload_graders()
            self.host = self.host or fork_server()
            if needs_postgres([self.source], self.options):
                self.cluster = SharedPostgres(self.options.db_url)
                self.cluster.get()  # before forking: every run's fork shares it
            self.prepared = True
        assert self.host is not None
        return self.host

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()


# --- the loop -------------------------------------------------------------------------------

def _saved_first(job: _Job, saves: _Saves) -> bool:
    """Wait for the end of the job's reply; True if a file was saved first."""
    with selectors.DefaultSelector() as selector:
        selector.register(saves.fd, selectors.EVENT_READ)
        selector.register(job.fd, selectors.EVENT_READ)
        while True:
            ready = {key.fd for key, _ in selector.select()}
            if saves.fd in ready and saves.pending():
                return True
            if job.fd in ready and not job.read():
                return False


def _run(graders: _Graders, saves: _Saves, message: str, progress: bool, *,
         warm: bool = True) -> Scorecard | None:
    """Grade the workspace as it is now; None when a save came first (the run is cancelled)."""
    job = graders.start(warm=warm)
    try:
        with spinner(progress, message):
            if _saved_first(job, saves):
                return None
        card = job.finish()
    finally:
        job.cancel()  # unless it finished
    if card is None:  # its warm grader went away: grade it here
        return _run(graders, saves, message, progress, warm=False)
    return card


def watch_workspace(source: Path, options: GradeOptions, *, connection: socket.socket | None,
                    host: ForkServer | None, warm: bool, as_json: bool,
                    report: Callable[[UserError], None]) -> None:
    """Grade `source` now and after every save until Ctrl-C or SIGTERM: each run's checklist
    and what it changed, or with `as_json` its scorecard on one line. A run's bad input is
    reported and the watch goes on; a folder that is no workspace raises UserError at once."""
    resolve_workspace(source, options.kata_id)
    options = replace(options, seed=secrets.randbelow(2**31) if options.seed is None
                      else options.seed)
    signal.signal(signal.SIGTERM, _interrupt_once)  # as an editor stops it
    graders = _Graders(source, options, warm_grader_process() if warm else None, host,
                       connection if warm else None)
    if connection is not None and not warm:
        connection.close()
    saves = _Saves(source.resolve())
    previous: Scorecard | None = None
    message = "Running the hidden checks"
    try:
        while True:
            try:
                card = _run(graders, saves, message, progress=not as_json)
            except UserError as error:
                report(error)
            else:
                if card is None:  # a save came during the run: grade the new tree instead
                    message = _again(saves.take())
                    continue
                with contextlib.suppress(OSError):  # for kata status, as a plain check does
                    record_check(source, card)
                _show(previous, card, as_json)
                previous = card
            message = _again(saves.wait())
    except KeyboardInterrupt:
        pass
    finally:
        saves.close()
        graders.close()


def _again(saved: list[str]) -> str:
    shown = ", ".join(saved[:3]) + (f" and {len(saved) - 3} more" if len(saved) > 3 else "")
    return f"Saved {shown}: running the hidden checks again"


def _show(previous: Scorecard | None, card: Scorecard, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(card.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    from grader import views

    views.print_scorecard(card, show_plan=True)
    views.print_watch_change(compare(previous, card))
