"""`kata solution --item ITEM`: once a candidate has earned an item, the reference's code for it
beside theirs, as a diff of the regions its kata.yaml `mutate:` names in the reference's files.

Only after: shown before, it would be the answer rather than a comparison. Only the regions: the
rest of a file may answer items not earned yet."""

from __future__ import annotations

import ast
import difflib
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.errors import UserError
from grader.kata import Region
from grader.mutants.generate import region_lines
from grader.mutants.operators import Source
from grader.progress import last_earned
from grader.reset import rendered
from grader.workspace import resolve_workspace


@dataclass(frozen=True)
class RegionDiff:
    file: str
    function: str | None
    diff: str  # unified, from the candidate's lines to the reference's; "" when the same


@dataclass(frozen=True)
class ItemSolution:
    item: str
    regions: list[RegionDiff]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def item_solution(workspace: Path, item_id: str) -> ItemSolution:
    kata, _ = resolve_workspace(workspace)
    item = next((i for i in kata.checklist if i.id == item_id), None)
    if item is None:
        raise UserError(f"kata {kata.id} has no item {item_id!r} "
                        f"(items: {', '.join(i.id for i in kata.checklist)})")
    if item.mode == "manual":
        raise UserError(f"{item.id} is judged by the interviewer: there is no reference code "
                        "for it")
    if item.id not in last_earned(workspace):
        raise UserError(f"your last kata check did not earn {item.id}: its reference code is "
                        "shown once you have earned it, to compare with yours")
    if not item.mutate:
        raise UserError(f"kata {kata.id} does not say where {item.id}'s code is (no mutate: "
                        "regions in kata.yaml)")
    with rendered(workspace, solution=True) as reference:
        return ItemSolution(item.id, [
            RegionDiff(region.file, region.function, "".join(difflib.unified_diff(
                _lines(workspace / region.file, region), _lines(reference / region.file, region),
                f"yours/{region.file}", f"reference/{region.file}")))
            for region in item.mutate])


def _lines(path: Path, region: Region) -> list[str]:
    """The region's lines of one file; none where the file or the function is missing."""
    try:
        text = path.read_text(encoding="utf-8")
        source = Source(text)
        lines = region_lines(region, source, ast.parse(text), str(path))
    except (OSError, UnicodeDecodeError, SyntaxError, UserError):
        return []
    return [source.lines[n - 1] for n in sorted(lines)]
