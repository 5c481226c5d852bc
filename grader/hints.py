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
from grader.kata import ChecklistItem, Kata
from grader.progress import last_earned
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


def hints_used(workspace: Path, kata: Kata) -> dict[str, int]:
    """How many hints the workspace records per item of `kata`, in checklist order. An
    unreadable record, unknown items and counts no `kata hint` could have written are left
    out: the record is in a folder the candidate can edit."""
    try:
        data = json.loads((workspace / HINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {item.id: data[item.id] for item in kata.checklist
            if isinstance(data.get(item.id), int) and 0 < data[item.id] <= len(item.hints)}


def _item(kata: Kata, item_id: str | None, earned: set[str]) -> ChecklistItem:
    """The item asked for, or the first auto item the last check did not earn."""
    if item_id is None:
        item = next((i for i in kata.auto_items if i.id not in earned), None)
        if item is None:
            raise UserError("your last kata check earned every item: there is no hint to give")
        return item
    item = next((i for i in kata.checklist if i.id == item_id), None)
    if item is None:
        raise UserError(f"kata {kata.id} has no item {item_id!r} "
                        f"(items: {', '.join(i.id for i in kata.checklist)})")
    return item


def next_hint(workspace: Path, item_id: str | None = None) -> Hint:
    """Give the item's next hint (the last one again once all are given) and record it."""
    kata, space = resolve_workspace(workspace)
    if not space.hints:
        raise UserError("hints are off in this workspace (it was handed out with --no-hints)")
    item = _item(kata, item_id, last_earned(workspace))
    if not item.hints:
        raise UserError(f"kata {kata.id} has no hints for {item.id}")
    used = hints_used(workspace, kata)
    number = min(used.get(item.id, 0) + 1, len(item.hints))
    used[item.id] = number
    (workspace / HINTS).write_text(json.dumps(used, indent=2) + "\n", encoding="utf-8")
    return Hint(item.id, item.hints[number - 1], number, len(item.hints))
