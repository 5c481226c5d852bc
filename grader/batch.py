"""`kata grade`: many submissions, graded in parallel, each in its own grader process.

Each submission goes to a grader forked by the warm grader (warm_check.py), which already holds
pytest, httpx and the collected checks; so the batch starts grading at once. Where there is none
(warm servers off, a batch on PostgreSQL, a warm grader that went away) this process imports
all that once and forks the graders itself. Either way one submission's crash, hang or limit
only ever costs its own scorecard.
"""

from __future__ import annotations

import glob
import json
import os
import selectors
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import UserError
from grader.options import GradeOptions
from grader.postgres.shared import SharedPostgres
from grader.sandbox.client import ForkServer
from grader.sandbox.folder import source_hash
from grader.sandbox.warm import fork_server
from grader.scoring import Scorecard
from grader.session import needs_postgres, preload_graders

if TYPE_CHECKING:
    from grader.interview.join import SessionFile
    from grader.sandbox.warm import WarmProcess
    from grader.sharding import Shard

GRACE_SECONDS = 30.0  # beyond the submission's own limit, before its grader is killed


@dataclass(frozen=True)
class BatchOptions:
    jobs: int | None = None
    out: Path | None = None
    formats: str = "json,md,html"  # report files in `out`, and `github` (reports/github.py)
    resume: bool = False
    shard: Shard | None = None
    as_json: bool = False  # stdout is the JSON's: no GitHub annotations there
    sessions: tuple[Path, ...] = ()  # interview session files, joined to their submissions


def expand(patterns: list[str]) -> list[Path]:
    """Paths and globs to submissions, in a stable order, each once."""
    found: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise UserError(f"no submission matches {pattern!r}")
        for match in matches:
            path = Path(match)
            if not path.exists():
                raise UserError(f"{path} does not exist")
            if path.resolve() not in {p.resolve() for p in found}:
                found.append(path)
    return found


def _error_card(path: Path, options: GradeOptions, message: str) -> Scorecard:
    """A scorecard for a submission that could not be graded at all."""
    from grader.kata import load_kata
    from grader.scoring import error_scorecard

    kata_id = options.kata_id or _marker_kata(path)
    try:
        kata = load_kata(kata_id) if kata_id else None
    except UserError:
        kata = None
    if kata is None:
        return Scorecard(kata=kata_id or "unknown", title="(not graded)", submission=str(path),
                         layout=None, database=None, seed=None, items=[], error=message)
    return error_scorecard(kata, str(path), message)


def _marker_kata(path: Path) -> str | None:
    try:
        return json.loads((path / ".kata" / "workspace.json").read_text())["kata_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _previous_cards(out: Path | None) -> dict[str, Scorecard]:
    if out is None or not out.is_dir():
        return {}
    cards = {}
    for path in out.glob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("content_hash"):
                cards[data["content_hash"]] = Scorecard.from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a scorecard of ours
    return cards


@dataclass
class _Job:
    """One submission being graded, by a warm grader (over `connection`) or by a fork of this
    process (`pid`); either way its reply arrives on `fd`."""

    path: Path
    fd: int
    started: float = field(default_factory=time.monotonic)
    pid: int | None = None
    connection: socket.socket | None = None
    data: bytearray = field(default_factory=bytearray)
    overdue: bool = False

    def read(self) -> bool:
        """Take what has arrived; False at the end of the reply. A progress line (a stack's
        first build) is shown, and the submission's time limit starts again after it."""
        from grader.warm_check import take_progress

        try:
            chunk = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return True
        except OSError:
            chunk = b""
        self.data += chunk
        for message in take_progress(self.data):
            sys.stderr.write(message + "\n")
            self.started = time.monotonic()
        return bool(chunk)

    def stop(self) -> None:
        """Over its limit: the grader is killed (a warm one leaves as its client hangs up), and
        its reply ends at once."""
        self.overdue = True
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
        elif self.connection is not None:
            self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self, options: GradeOptions) -> Scorecard | None:
        """The scorecard; None when a warm grader went away without one (grade it here)."""
        from grader.warm_check import parse_reply

        if self.connection is not None:
            self.connection.close()
        else:
            os.close(self.fd)
            os.waitpid(self.pid, 0)  # type: ignore[arg-type]
        if self.overdue:
            return _error_card(self.path, options, "grading did not finish within "
                               f"{options.longest_time_limit() + GRACE_SECONDS:g} s")
        try:
            card = parse_reply(bytes(self.data))
        except UserError as error:
            return _error_card(self.path, options, error.message)
        if card is None and self.pid is not None:
            return _error_card(self.path, options, "the grader process died")
        return card


def _start_warm(grader: WarmProcess | None, path: Path, options: GradeOptions) -> _Job | None:
    """Hand the submission to a grader forked by the warm grader, if there is one."""
    from grader.warm_check import connect, send_request

    connection = connect(grader)
    if connection is None:
        return None
    try:
        send_request(connection, path, options)
    except OSError:
        connection.close()
        return None
    connection.setblocking(False)
    return _Job(path, connection.fileno(), connection=connection)


class _LocalGraders:
    """Graders forked from this process: for batches on PostgreSQL (one cluster for all), when
    warm servers are off, and for a submission whose warm grader went away."""

    def __init__(self, options: GradeOptions, host: ForkServer, cluster: SharedPostgres) -> None:
        self.options, self.host, self.cluster = options, host, cluster
        self.ready = False

    def start(self, path: Path) -> _Job:
        if not self.ready:
            preload_graders()
            self.ready = True
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            self._grade_in_child(path, write_end)
        os.close(write_end)
        os.set_blocking(read_end, False)
        return _Job(path, read_end, pid=pid)

    def _grade_in_child(self, path: Path, write_end: int) -> None:
        """The forked grader: grade, send the reply, leave without cleanup."""
        from grader.warm_check import grade_reply, progress_line

        try:
            reply = grade_reply(path, self.options, self.host, self.cluster,
                                announce=lambda message: os.write(write_end,
                                                                  progress_line(message)))
        except BaseException as error:  # noqa: BLE001 - anything else is this submission's error
            reply = {"error": f"the grader failed on this submission: {error!r}",
                     "exit_code": 1}
        with os.fdopen(write_end, "wb") as stream:
            stream.write(json.dumps(reply).encode())
        os._exit(0)


class _Progress:
    """A rich progress bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.done, self.failures = total, 0, 0
        self.live = enabled and sys.stderr.isatty()
        self.enabled = enabled
        if self.live:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            # No refresh thread: the parent forks while the bar is shown.
            self.bar = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[status]}"), TimeRemainingColumn(),
                                auto_refresh=False, transient=True)
            self.task = self.bar.add_task("grading", total=total, status="")
            self.bar.start()

    def update(self, current: str, card: Scorecard | None = None) -> None:
        if card is not None:
            self.done += 1
            self.failures += card.status == "error"
        status = f"{current}  failures: {self.failures}"
        if self.live:
            self.bar.update(self.task, completed=self.done, status=status)
            self.bar.refresh()
        elif self.enabled and card is not None:
            sys.stderr.write(f"[{self.done}/{self.total}] {card.submission}: "
                             f"{card.score:g}/{card.max_score:g} {card.status}\n")

    def stop(self) -> None:
        if self.live:
            self.bar.stop()


def _run_parallel(paths: list[Path], options: GradeOptions, jobs: int,
                  progress: _Progress) -> list[Scorecard]:
    from grader.warm_check import warm_grader_process

    cards: dict[Path, Scorecard] = {}
    pending = list(paths)
    running: dict[int, _Job] = {}
    selector = selectors.DefaultSelector()
    limit = options.longest_time_limit() + GRACE_SECONDS
    postgres = needs_postgres(paths, options)
    warm = None if postgres else warm_grader_process()
    with fork_server(batch=True) as host, SharedPostgres(options.db_url) as cluster:
        if postgres:
            cluster.get()  # one PostgreSQL for the whole batch, started before forking
        local = _LocalGraders(options, host, cluster)

        def start(path: Path, *, warm_first: bool = True) -> None:
            job = (_start_warm(warm, path, options) if warm_first else None) or local.start(path)
            running[job.fd] = job
            selector.register(job.fd, selectors.EVENT_READ)

        while pending or running:
            while pending and len(running) < jobs:
                path = pending.pop(0)
                start(path)
                progress.update(path.name)
            for key, _ in selector.select(timeout=0.2):
                job = running[key.fd]
                if job.read():
                    continue
                selector.unregister(key.fd)
                del running[key.fd]
                card = job.finish(options)
                if card is None:  # its warm grader went away: grade it here instead
                    start(job.path, warm_first=False)
                    continue
                cards[job.path] = card
                progress.update(job.path.name, card)
            for job in list(running.values()):
                if time.monotonic() - job.started > limit and not job.overdue:
                    job.stop()
    return [cards[path] for path in paths]


def require_network_isolation(options: GradeOptions) -> None:
    """Other people's submissions are graded only where their code cannot reach the network,
    unless the interviewer chose otherwise (`--isolation minimal`): one sentence says why."""
    from grader.sandbox.capabilities import detect_capabilities

    if options.isolation == "full" and not detect_capabilities().netns:
        raise UserError("this machine gives candidate code no network isolation (it refuses "
                        "user namespaces; see kata doctor), so a submission could send out what "
                        "it reads: grade here only with --isolation minimal, on purpose")


def grade_batch(patterns: list[str], options: GradeOptions, batch: BatchOptions, *,
                progress: bool = False) -> list[Scorecard]:
    """Grade the submissions (this shard's, with `batch.shard`), write the reports, and for
    `--format github` the job summary; the annotations are printed on stdout."""
    from grader.reports.github import split_formats, summary_file, write_github

    paths = expand(patterns)
    sessions = _sessions(paths, options, batch.sessions)  # a wrong one must not cost a batch
    require_network_isolation(options)
    file_formats, github = split_formats(batch.formats)
    summary = summary_file() if github else None
    if github and batch.as_json:
        raise UserError("--format github prints its annotations on stdout, which --json needs "
                        "for itself: leave out one of them")
    formats: list[str] = []
    if batch.out is not None:
        from grader.reports import make_report_folder, parse_formats

        formats = parse_formats(file_formats)
        make_report_folder(batch.out)  # before grading: a wrong --out must not cost a batch
    if batch.shard is not None:
        paths = batch.shard.select(paths, source_hash)
    cards = _grade(paths, options, batch, progress)
    if sessions is not None:
        from grader.interview.join import join

        cards = [join(card, sessions[path]) for path, card in zip(paths, cards, strict=True)]
    if batch.out is not None:
        from grader.reports import BatchRecord, write_reports

        katas = {card.kata for card in cards}
        kata = options.kata_id or (katas.pop() if len(katas) == 1 else None)
        record = BatchRecord(shard=str(batch.shard) if batch.shard else None, kata=kata,
                             seed=options.seed)
        write_reports(cards, batch.out, formats, record)
    if summary is not None:
        for command in write_github(cards, summary):
            sys.stdout.write(command + "\n")
    return cards


def _sessions(paths: list[Path], options: GradeOptions,
              files: tuple[Path, ...]) -> dict[Path, list[SessionFile]] | None:
    """Each submission's interview sessions, checked against its kata where that is known
    before grading (`--kata`, a workspace's marker), and their ratings against the session's
    kata; None when no session is given."""
    if not files:
        return None
    from grader.interview.join import assign_sessions, check_items, check_kata, load_sessions
    from grader.kata import load_kata

    assigned = assign_sessions(paths, load_sessions(files))
    for path, found in assigned.items():
        for session in found:
            check_kata(session, options.kata_id or _marker_kata(path), str(path))
            if session.kata is not None:
                manual = {i.id for i in load_kata(session.kata).checklist if i.mode == "manual"}
                check_items(session, manual, session.kata)
    return assigned


def _grade(paths: list[Path], options: GradeOptions, batch: BatchOptions,
           progress: bool) -> list[Scorecard]:
    if len(paths) == 1 and batch.out is None:  # bad input: exit code 2
        from grader.warm_check import grade_preferring_warm, warm_grader

        connection = None if needs_postgres(paths, options) else warm_grader()
        return [grade_preferring_warm(connection, paths[0], options, progress=progress)]
    previous = _previous_cards(batch.out) if batch.resume else {}
    reused: dict[Path, Scorecard] = {}
    for path in paths:
        card = previous.get(source_hash(path)) if previous else None
        if card is not None:
            reused[path] = card
    todo = [path for path in paths if path not in reused]
    bar = _Progress(len(todo), progress)
    try:
        fresh = _run_parallel(todo, options, batch.jobs or os.cpu_count() or 1,
                              bar) if todo else []
    finally:
        bar.stop()
    graded = dict(zip(todo, fresh, strict=True))
    return [reused.get(path) or graded[path] for path in paths]
