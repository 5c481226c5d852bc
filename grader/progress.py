"""`kata status`: where a candidate is in the plan, from the record of their own checks.

Each `kata check` of a workspace appends what it earned to `.kata/history.jsonl`. A part's time
is an estimate from that record and the files' modification times: it runs from the moment the
parts before it were done (the first check that earned all their auto items; for the first
part, the workspace's start) to the first check that earned all its own, or, for the part in
progress, to the last sign of work (the newest save or check), so a break after it is not
counted; a part done ahead of an earlier one has its time counted in that one. The record is
the candidate's own tool's, in a folder the candidate can edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from grader.sandbox.folder import regular_files
from grader.scoring import Scorecard
from grader.workspace import MARKER, resolve_workspace

HISTORY = MARKER.parent / "history.jsonl"


@dataclass(frozen=True)
class CheckRecord:
    """One `kata check` run, as the history holds it."""

    at: datetime
    score: float
    earned: frozenset[str]


def record_check(workspace: Path, card: Scorecard, now: datetime | None = None) -> None:
    """Append one check's result to the workspace's history (a workspace folder only)."""
    if not (workspace / MARKER).is_file() or card.error:
        return
    earned = [item.id for item in card.items if item.mode == "auto" and item.points
              and item.earned >= item.points]
    entry = {"at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
             "score": card.score, "earned": earned}
    with open(workspace / HISTORY, "a", encoding="utf-8") as history:
        history.write(json.dumps(entry) + "\n")


def read_history(workspace: Path) -> list[CheckRecord]:
    """The checks recorded, oldest first; a line cut short or edited out of shape is skipped."""
    try:
        lines = (workspace / HISTORY).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    records = []
    for line in lines:
        try:
            entry = json.loads(line)
            records.append(CheckRecord(_aware(datetime.fromisoformat(entry["at"])),
                                       float(entry.get("score", 0)),
                                       frozenset(map(str, entry["earned"]))))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return records


def last_earned(workspace: Path) -> set[str]:
    """The items the last recorded check earned (none before the first check)."""
    history = read_history(workspace)
    return set(history[-1].earned) if history else set()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def worked_files(workspace: Path) -> Iterator[Path]:
    """The workspace's files as the grader copies them (no venv, cache or link), `.kata` aside:
    the candidate's work."""
    for relative, path, _ in regular_files(workspace, []):
        if relative.parts[:1] != (MARKER.parts[0],):
            yield path


def _last_save(workspace: Path) -> datetime | None:
    times = [path.stat().st_mtime for path in worked_files(workspace)]
    return datetime.fromtimestamp(max(times), UTC) if times else None


@dataclass(frozen=True)
class PartStatus:
    id: str
    title: str
    planned: tuple[int, int]
    items: list[str]
    earned: list[str]
    minutes: float | None  # None: not begun, done ahead of an earlier part, or no auto items
    state: str  # "done", "in progress", "to do" or "with the interviewer"


@dataclass(frozen=True)
class NextStep:
    """The first auto item not earned, in part order, with what its part asks for."""

    item: str
    text: str
    part: str
    work: str


@dataclass(frozen=True)
class Status:
    kata: str
    elapsed_minutes: float | None
    score: float | None
    checks: int
    parts: list[PartStatus]
    next_step: NextStep | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _minutes(start: datetime, end: datetime) -> float:
    return round(max((end - start).total_seconds(), 0) / 60, 1)


def status(workspace: Path, now: datetime | None = None) -> Status:
    """Each part's state and estimated time (see the module's docstring), and the next step."""
    kata, space = resolve_workspace(workspace)
    now = now or datetime.now(UTC)
    history = read_history(workspace)
    earned_now = history[-1].earned if history else frozenset()
    began = space.started() or (history[0].at if history else now)
    signs = [moment for moment in (_last_save(workspace), history[-1].at if history else None)
             if moment is not None]
    last_work = min(max(signs, default=began), now)
    parts: list[PartStatus] = []
    next_step = None
    since: datetime | None = began  # None once a part is in progress: the later ones wait
    for part in kata.parts:
        items = [i for i in kata.auto_items if i.part == part.id]
        ids = {i.id for i in items}
        earned = [i.id for i in items if i.id in earned_now]
        if not items:
            parts.append(PartStatus(part.id, part.title, part.minutes, [], [], None,
                                    "with the interviewer"))
            continue
        done_at = next((check.at for check in history if ids <= check.earned), None)
        if since is None:  # an earlier part is in progress: this one's time is counted there
            state, minutes = ("done" if ids <= earned_now else "to do"), None
        elif done_at is not None and ids <= earned_now:
            state, minutes = "done", _minutes(since, done_at)
            since = max(since, done_at)
        else:
            state, minutes = "in progress", _minutes(since, last_work)
            missing = next(i for i in items if i.id not in earned_now)
            next_step = NextStep(missing.id, missing.text, part.id, part.work)
            since = None
        parts.append(PartStatus(part.id, part.title, part.minutes, [i.id for i in items],
                                earned, minutes, state))
    return Status(kata.id, _minutes(began, now) if space.started() else None,
                  history[-1].score if history else None, len(history), parts, next_step)
