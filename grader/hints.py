"""`kata hint`: the next hint for an item, from a nudge to nearly the answer.

Hints used are recorded in the workspace (`.kata/hints.json`), which a grader reads into the
scorecard for the interviewer: a record the candidate's own tool wrote, in a folder the
candidate can edit, and shown as such. A workspace handed out with hints off refuses them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.errors import UserError
from grader.kata import ChecklistItem
from grader.progress import read_history
from grader.workspace import MARKER, resolve_workspace

HINTS = MARKER.parent / "hints.json"


@dataclass(frozen=True)
class Hint:
    item: str
    text: str
    number: int
    total: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def hints_used(workspace: Path) -> dict[str, int]:
    """How many hints the workspace records per item; nothing when the record is unreadable."""
    try:
        data = json.loads((workspace / HINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, int) and v > 0}


def _first_unearned(items: tuple[ChecklistItem, ...], earned: set[str]) -> ChecklistItem:
    item = next((i for i in items if i.id not in earned), None)
    if item is None:
        raise UserError("every item is earned by your last check: no hint needed")
    return item


def next_hint(workspace: Path, item_id: str | None = None) -> Hint:
    kata, space = resolve_workspace(workspace)
    if not space.hints:
        raise UserError("hints are off in this workspace (it was handed out with --no-hints)")
    if item_id is None:
        history = read_history(workspace)
        item = _first_unearned(kata.auto_items, set(history[-1]["earned"]) if history else set())
    else:
        item = next((i for i in kata.checklist if i.id == item_id), None)
        if item is None:
            raise UserError(f"kata {kata.id} has no item {item_id!r} "
                            f"(items: {', '.join(i.id for i in kata.checklist)})")
    if not item.hints:
        raise UserError(f"{item.id} has no hints")
    used = hints_used(workspace)
    number = min(used.get(item.id, 0) + 1, len(item.hints))
    used[item.id] = number
    (workspace / HINTS).write_text(json.dumps(used, indent=2) + "\n", encoding="utf-8")
    return Hint(item.id, item.hints[number - 1], number, len(item.hints))
