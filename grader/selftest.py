"""`kata selftest`: what a trainer runs after authoring or editing a kata.

A kata is sound when its reference solution earns every point under several seeds, its untouched
starter earns none, and every check it ships backs exactly one checklist item.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.kata import Kata, load_kata
from grader.options import GradeOptions
from grader.sandbox.warm import fork_server
from grader.scaffold import start_workspace, write_solution
from grader.scoring import KataDefinitionError, Scorecard
from grader.session import grade_one


@dataclass(frozen=True)
class Line:
    ok: bool
    text: str


@dataclass
class SelftestResult:
    kata: str
    lines: list[Line] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    def add(self, ok: bool, text: str) -> None:
        self.lines.append(Line(ok, text))

    def to_json(self) -> dict[str, object]:
        return {"kata": self.kata, "ok": self.ok,
                "lines": [{"ok": line.ok, "text": line.text} for line in self.lines]}


def _misses(card: Scorecard) -> str:
    return "; ".join(f"{i.id}: {i.reason}" for i in card.items if i.reason) or "none"


def _check_coverage(kata: Kata, card: Scorecard, result: SelftestResult) -> None:
    graded = {check.nodeid for item in card.items for check in item.checks}
    owners: dict[str, list[str]] = {}
    for item in kata.auto_items:
        for nodeid in graded:
            if item.backs(nodeid):
                owners.setdefault(nodeid, []).append(item.id)
    shared = {n: ids for n, ids in owners.items() if len(ids) > 1}
    result.add(not shared, "every check backs one item" if not shared
               else f"checks backing several items: {shared}")


def check_starter(kata: Kata, card: Scorecard, result: SelftestResult) -> None:
    """The untouched starter earns nothing, but the items the kata says it passes by design
    (`starter_passes`), which it must earn in full."""
    by_design = {item.id for item in kata.auto_items if item.starter_passes}
    items = [item for item in card.items if item.mode == "auto"]
    scoring = [item.id for item in items if item.earned > 0 and item.id not in by_design]
    missed = [item.id for item in items if item.id in by_design and item.earned < item.points]
    result.add(not scoring, ("the untouched starter scores 0 on every item" if not by_design
                             else "the untouched starter scores 0 on every other item")
               if not scoring else f"the untouched starter earns points on {', '.join(scoring)}")
    if by_design:
        result.add(not missed, f"the untouched starter passes {', '.join(sorted(by_design))} "
                   "by design" if not missed else "the untouched starter does not pass "
                   f"{', '.join(missed)}, which the kata says it passes by design")


def run_selftest(kata_id: str, *, seeds: int = 2, progress: bool = False) -> SelftestResult:
    kata = load_kata(kata_id)
    result = SelftestResult(kata.id)
    with (tempfile.TemporaryDirectory(prefix="kata-selftest-") as scratch,
          fork_server(batch=True) as host):
        root = Path(scratch)
        reference = write_solution(kata.id, root / "reference").path
        starter = start_workspace(kata.id, root / "starter").path
        try:
            for _ in range(seeds):
                seed = secrets.randbelow(2**31)
                card = grade_one(reference, GradeOptions(seed=seed), host=host,
                                 progress=progress)
                full = card.score == card.max_score
                result.add(full, f"reference scores {card.score:g}/{card.max_score:g} with seed "
                                 f"{seed}" + ("" if full else f" (misses: {_misses(card)})"))
            _check_coverage(kata, card, result)
            card = grade_one(starter, GradeOptions(), host=host, progress=progress)
            check_starter(kata, card, result)
        except KataDefinitionError as error:
            result.add(False, str(error))
    return result
