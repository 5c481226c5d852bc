"""`kata status`: where a candidate is in the plan, from the record of their own checks.

Each `kata check` of a workspace appends what it earned to `.kata/history.jsonl`. A part's time
is an estimate from that record: it runs from the moment the parts before it were done (or the
workspace's start) until the first check that earned all its auto items, or until now for the
part in progress. The record is the candidate's own tool's, in a folder the candidate can edit.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from grader.scoring import Scorecard
from grader.workspace import MARKER, resolve_workspace

HISTORY = MARKER.parent / "history.jsonl"


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


def read_history(workspace: Path) -> list[dict]:
    try:
        lines = (workspace / HISTORY).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short, or edited: the rest still tells
        if isinstance(entry, dict) and isinstance(entry.get("earned"), list) and entry.get("at"):
            entries.append(entry)
    return entries


@dataclass(frozen=True)
class PartStatus:
    id: str
    title: str
    planned: tuple[int, int]
    items: list[str]
    earned: list[str]
    minutes: float | None  # None: not begun, or a part with no auto items (the interview's)
    state: str  # "done", "in progress", "to do" or "with the interviewer"


@dataclass(frozen=True)
class Status:
    kata: str
    elapsed_minutes: float | None
    score: float | None
    checks: int
    parts: list[PartStatus]
    next_step: str | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _minutes(start: datetime, end: datetime) -> float:
    return round(max((end - start).total_seconds(), 0) / 60, 1)


def status(workspace: Path, now: datetime | None = None) -> Status:
    kata, space = resolve_workspace(workspace)
    now = now or datetime.now(UTC)
    history = read_history(workspace)
    earned_now = set(history[-1]["earned"]) if history else set()
    began = space.started() or (datetime.fromisoformat(history[0]["at"]) if history else now)
    parts: list[PartStatus] = []
    next_step = None
    since: datetime | None = began  # None once a part is in progress: the later ones wait
    for part in kata.parts:
        items = [i.id for i in kata.auto_items if i.part == part.id]
        earned = [i for i in items if i in earned_now]
        if not items:
            parts.append(PartStatus(part.id, part.title, part.minutes, [], [], None,
                                    "with the interviewer"))
            continue
        done_at = next((datetime.fromisoformat(e["at"]) for e in history
                        if set(items) <= set(e["earned"])), None)
        if since is None:
            state, minutes = "to do", None
        elif done_at is not None and set(items) <= earned_now:
            state, minutes = "done", _minutes(since, done_at)
            since = max(since, done_at)
        else:
            state, minutes = "in progress", _minutes(since, now)
            missing = next(i for i in kata.auto_items if i.id in items and i.id not in earned)
            next_step = f"{missing.text} ({missing.id}): {part.work}"
            since = None
        parts.append(PartStatus(part.id, part.title, part.minutes, items, earned, minutes,
                                state))
    return Status(kata.id, _minutes(began, now) if space.started() else None,
                  history[-1]["score"] if history else None, len(history), parts, next_step)
