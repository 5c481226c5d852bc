"""`kata grade`: many submissions, graded in parallel, each in its own forked grader process.

The parent imports pytest, httpx and the checks' needs once and starts one fork server for
candidate code; then each submission is graded in a fork of the parent, so one submission's
crash, hang or limit only ever costs its own scorecard.
"""

from __future__ import annotations

import gc
import glob
import json
import os
import selectors
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UserError
from grader.postgres import SharedPostgres, needed
from grader.sandbox.client import ForkServer
from grader.sandbox.folder import source_hash
from grader.sandbox.warm import fork_server
from grader.scoring import Scorecard
from grader.session import GradeOptions, grade_one

GRACE_SECONDS = 30.0  # beyond the submission's own limit, before its grader is killed


@dataclass(frozen=True)
class BatchOptions:
    jobs: int | None = None
    out: Path | None = None
    formats: str = "json,md,html"
    resume: bool = False


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
class _Running:
    path: Path
    pid: int
    pipe: int
    started: float
    data: bytearray = field(default_factory=bytearray)


def _grade_in_child(path: Path, options: GradeOptions, host: ForkServer, cluster: SharedPostgres,
                    write_end: int) -> None:
    """The forked grader: grade, send the scorecard as JSON, leave without cleanup."""
    try:
        card = grade_one(path, options, host=host, cluster=cluster)
    except UserError as error:
        card = _error_card(path, options, error.message)
    except BaseException as error:  # noqa: BLE001 - anything else is this submission's error card
        card = _error_card(path, options, f"the grader failed on this submission: {error!r}")
    with os.fdopen(write_end, "wb") as stream:
        stream.write(json.dumps(card.to_json()).encode())
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
    import httpcore  # noqa: F401 - httpx imports it lazily: once here, not in every fork

    from grader.checks import warm_up
    from grader.kata import load_all_katas
    from grader.sandbox.capabilities import detect_capabilities

    for kata in load_all_katas():
        warm_up(kata)

    detect_capabilities()  # probed once here, inherited by every forked grader
    gc.freeze()  # forked graders then leave the parent's objects (and their pages) alone

    cards: dict[Path, Scorecard] = {}
    pending = list(paths)
    running: dict[int, _Running] = {}
    selector = selectors.DefaultSelector()
    limit = options.timeout + GRACE_SECONDS
    with fork_server(batch=True) as host, SharedPostgres(options.db_url) as cluster:
        if needed(paths, options):
            cluster.get()  # one PostgreSQL for the whole batch, started before forking
        while pending or running:
            while pending and len(running) < jobs:
                path = pending.pop(0)
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read_end)
                    _grade_in_child(path, options, host, cluster, write_end)
                os.close(write_end)
                os.set_blocking(read_end, False)
                running[read_end] = _Running(path, pid, read_end, time.monotonic())
                selector.register(read_end, selectors.EVENT_READ)
                progress.update(path.name)
            for key, _ in selector.select(timeout=0.2):
                job = running[key.fd]
                chunk = os.read(key.fd, 1 << 16)
                if chunk:
                    job.data += chunk
                    continue
                selector.unregister(key.fd)
                os.close(key.fd)
                del running[key.fd]
                os.waitpid(job.pid, 0)
                try:
                    card = Scorecard.from_json(json.loads(job.data))
                except (ValueError, KeyError, TypeError):
                    card = _error_card(job.path, options, "the grader process died")
                cards[job.path] = card
                progress.update(job.path.name, card)
            for job in list(running.values()):
                if time.monotonic() - job.started > limit:
                    os.kill(job.pid, signal.SIGKILL)  # its pipe closes; reaped above
                    job.data = bytearray()
    return [cards[path] for path in paths]


def grade_batch(patterns: list[str], options: GradeOptions, batch: BatchOptions, *,
                progress: bool = False) -> list[Scorecard]:
    paths = expand(patterns)
    formats: list[str] = []
    if batch.out is not None:
        from grader.reports import parse_formats

        formats = parse_formats(batch.formats)
    if len(paths) == 1 and batch.out is None:  # bad input: exit code 2
        with fork_server() as host:
            return [grade_one(paths[0], options, progress=progress, host=host)]
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
    cards = [reused.get(path) or graded[path] for path in paths]
    if batch.out is not None:
        from grader.reports import write_reports

        batch.out.mkdir(parents=True, exist_ok=True)
        write_reports(cards, batch.out, formats)
    return cards
