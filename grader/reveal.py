"""`kata solution ITEM`: once a candidate has earned an item, the reference's code for it beside
theirs, as a diff of the files the item's mutation regions name (kata.yaml `mutate:`).

Only after: shown before, it would be the answer rather than a comparison."""

from __future__ import annotations

import ast
import difflib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UserError
from grader.kata import Region
from grader.mutants.generate import region_lines
from grader.mutants.operators import Source
from grader.progress import read_history
from grader.scaffold import overlay, render_starter
from grader.workspace import resolve_workspace


@dataclass(frozen=True)
class ItemSolution:
    item: str
    diffs: dict[str, str]  # region: unified diff from the candidate's code to the reference's

    def to_json(self) -> dict[str, object]:
        return {"item": self.item, "diffs": self.diffs}


def item_solution(workspace: Path, item_id: str) -> ItemSolution:
    kata, space = resolve_workspace(workspace)
    item = next((i for i in kata.checklist if i.id == item_id), None)
    if item is None:
        raise UserError(f"kata {kata.id} has no item {item_id!r} "
                        f"(items: {', '.join(i.id for i in kata.checklist)})")
    if item.mode == "manual":
        raise UserError(f"{item.id} is judged by the interviewer: there is no reference code "
                        "for it")
    history = read_history(workspace)
    if not history or item.id not in history[-1]["earned"]:
        raise UserError(f"your last kata check did not earn {item.id}: its reference code is "
                        "shown once you have earned it, to compare with yours")
    if not item.mutate:
        raise UserError(f"kata {kata.id} does not say where {item.id}'s code is (no mutate: "
                        "regions in kata.yaml)")
    with tempfile.TemporaryDirectory(prefix="kata-reference-") as scratch:
        reference = Path(scratch)
        render_starter(kata, reference, space.db)
        overlay(kata.solution_dir, reference)
        diffs: dict[str, str] = {}
        for region in item.mutate:
            where = region.file + (f" ({region.function})" if region.function else "")
            diffs[where] = "".join(difflib.unified_diff(
                _part(workspace / region.file, region), _part(reference / region.file, region),
                f"yours/{region.file}", f"reference/{region.file}"))
    return ItemSolution(item.id, diffs)


def _part(path: Path, region: Region) -> list[str]:
    """The region's lines of one file; none where the file or the function is missing. Only
    the item's own code: the rest of a file may answer items not earned yet."""
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        source = Source(text)
        lines = region_lines(region, source, tree, str(path))
    except (OSError, UnicodeDecodeError, SyntaxError, UserError):
        return []
    return [source.lines[n - 1] for n in sorted(lines)]
