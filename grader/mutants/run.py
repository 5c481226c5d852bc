"""`kata selftest --mutants`: grade every mutant of the reference and say which items noticed.

Each mutant is a copy of the reference workspace with one file changed, graded by the ordinary
batch engine (warm servers, `--jobs` in parallel, the same sandbox) under one seed, beside the
unchanged reference: so an item lost is lost to that one change.
"""

from __future__ import annotations

import random
import secrets
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from grader.batch import BatchOptions, grade_batch
from grader.errors import UserError
from grader.kata import Kata, load_kata
from grader.mutants.generate import Mutant, generate
from grader.options import GradeOptions
from grader.scaffold import write_solution
from grader.scoring import Scorecard

Verdict = Literal["killed", "also_cost", "misattributed", "survived", "equivalent",
                  "not_equivalent"]
VERDICTS: tuple[Verdict, ...] = ("killed", "also_cost", "misattributed", "survived",
                                 "equivalent", "not_equivalent")
"""killed: its own item lost, no other. also_cost: its own and another too (killed, but one bug
cost two items). misattributed: only another item lost. survived: none. equivalent: listed as
such and, as verified, none lost. not_equivalent: listed as equivalent, yet an item was lost."""


@dataclass(frozen=True)
class Graded:
    mutant: Mutant
    verdict: Verdict
    lost: tuple[str, ...]
    passed: tuple[str, ...]  # the mutant's own item's checks that passed
    reason: str | None  # why the first lost item was lost

    def to_json(self) -> dict[str, object]:
        return {**self.mutant.to_json(), "verdict": self.verdict, "lost": list(self.lost),
                "passed": list(self.passed), "reason": self.reason}


@dataclass
class ItemTally:
    item: str
    counts: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))

    @property
    def judged(self) -> int:
        """Mutants a check should notice: all but the verified equivalent ones."""
        return sum(self.counts.values()) - self.counts["equivalent"]

    def to_json(self) -> dict[str, object]:
        return {"item": self.item, "judged": self.judged, **self.counts}


@dataclass
class MutationReport:
    kata: str
    seed: int
    floor: float
    made: int  # before sampling
    graded: list[Graded]
    items: list[ItemTally]
    stale: list[str]  # listed equivalent ids that no mutant has any more
    seconds: float = 0.0
    jobs: int = 1

    @property
    def judged(self) -> int:
        return sum(tally.judged for tally in self.items)

    @property
    def graded_items(self) -> list[ItemTally]:
        """The items with a mutant in this run (all of them, unless --item or --sample)."""
        return [tally for tally in self.items if sum(tally.counts.values())]

    @property
    def killed(self) -> int:
        """Mutants that cost their own item, whether or not another one too."""
        return self.count("killed") + self.count("also_cost")

    @property
    def kill_rate(self) -> float:
        return self.killed / self.judged if self.judged else 1.0

    def count(self, verdict: Verdict) -> int:
        return sum(g.verdict == verdict for g in self.graded)

    @property
    def problems(self) -> list[str]:
        """Why the kata misses its floor; empty when it meets it."""
        found = []
        if self.kill_rate < self.floor:
            found.append(f"{self.kill_rate:.0%} of {self.judged} mutants cost their own item, "
                         f"below the floor of {self.floor:.0%}")
        if misattributed := self.count("misattributed"):
            found.append(f"{misattributed} mutant(s) cost only another item's points")
        if wrong := self.count("not_equivalent"):
            found.append(f"{wrong} mutant(s) listed as equivalent lost points: not equivalent")
        found += [f"the equivalent mutant {stale} is listed but no longer made"
                  for stale in self.stale]
        return found

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {"schema": "katabench.mutants/1", "kata": self.kata, "seed": self.seed,
                "floor": self.floor, "ok": self.ok, "problems": self.problems,
                "made": self.made, "graded": len(self.graded), "judged": self.judged,
                "killed": self.killed, "kill_rate": round(self.kill_rate, 4),
                "seconds": round(self.seconds, 2), "jobs": self.jobs,
                "items": [tally.to_json() for tally in self.items],
                "stale_equivalents": self.stale,
                "mutants": [graded.to_json() for graded in self.graded]}


def _lost(card: Scorecard) -> tuple[str, ...]:
    if card.error:
        return tuple(item.id for item in card.items if item.mode == "auto") or ("(all)",)
    return tuple(item.id for item in card.items if item.mode == "auto" and
                 item.earned < item.points)


def judge(mutant: Mutant, card: Scorecard, equivalent: bool) -> Graded:
    lost = _lost(card)
    own = next((item for item in card.items if item.id == mutant.item), None)
    passed = tuple(c.nodeid for c in own.checks if c.passed) if own else ()
    first = next((i for i in card.items if i.id in lost), None)
    reason = card.error or (first.reason if first else None)
    others = set(lost) - {mutant.item}
    verdict: Verdict
    if equivalent:
        verdict = "not_equivalent" if lost else "equivalent"
    elif mutant.item in lost:
        verdict = "also_cost" if others else "killed"
    else:
        verdict = "misattributed" if others else "survived"
    return Graded(mutant, verdict, lost, passed, reason)


def choose(mutants: list[Mutant], *, items: Sequence[str], sample: int | None,
           seed: int) -> list[Mutant]:
    """The mutants to grade: those of the chosen items, then a seeded sample of them."""
    chosen = [m for m in mutants if not items or m.item in items]
    if sample is not None and sample < len(chosen):
        picked = set(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [m for index, m in enumerate(chosen) if index in picked]
    return chosen


def _write(reference: Path, mutant: Mutant, folder: Path) -> Path:
    shutil.copytree(reference, folder, symlinks=True)
    (folder / mutant.file).write_text(mutant.text, encoding="utf-8")
    return folder


def run_mutants(kata_id: str, *, jobs: int | None = None, sample: int | None = None,
                items: Sequence[str] = (), seed: int | None = None,
                progress: bool = False) -> MutationReport:
    started = time.monotonic()
    kata = load_kata(kata_id)
    unknown = [item for item in items if item not in {i.id for i in kata.auto_items}]
    if unknown:
        raise UserError(f"kata {kata.id} has no auto item {unknown[0]!r}")
    seed = secrets.randbelow(2**31) if seed is None else seed
    with tempfile.TemporaryDirectory(prefix="kata-mutants-") as scratch:
        root = Path(scratch)
        reference = write_solution(kata.id, root / "reference").path
        made = generate(kata, reference)
        chosen = choose(made, items=items, sample=sample, seed=seed)
        folders = [_write(reference, mutant, root / f"m{index:04d}")
                   for index, mutant in enumerate(chosen)]
        # The reference again, last: a grader that broke during the run fails it too, so a
        # crash cannot pass for mutants killed.
        again = shutil.copytree(reference, root / "reference-again", symlinks=True)
        cards = grade_batch([str(reference), *map(str, folders), str(again)],
                            GradeOptions(kata_id=kata.id, seed=seed),
                            BatchOptions(jobs=jobs), progress=progress)
    first, *mutant_cards, last = cards
    for baseline, when in ((first, "before"), (last, "after")):
        if baseline.score != baseline.max_score or baseline.error:
            raise UserError(f"the {kata.id} reference scores {baseline.score:g}/"
                            f"{baseline.max_score:g} with seed {seed} {when} its mutants, so "
                            f"they cannot be judged: {baseline.error or _first_reason(baseline)}")
    return _report(kata, seed, made, chosen, mutant_cards, time.monotonic() - started, jobs)


def _first_reason(card: Scorecard) -> str:
    return next((item.reason for item in card.items if item.reason), "no reason given")


def _report(kata: Kata, seed: int, made: list[Mutant], chosen: list[Mutant],
            cards: list[Scorecard], seconds: float, jobs: int | None) -> MutationReport:
    listed = {e.id for e in kata.mutation.equivalent}
    graded = [judge(mutant, card, mutant.id in listed)
              for mutant, card in zip(chosen, cards, strict=True)]
    tallies = {item.id: ItemTally(item.id) for item in kata.auto_items if item.mutate}
    for entry in graded:
        tallies[entry.mutant.item].counts[entry.verdict] += 1
    stale = sorted(listed - {m.id for m in made})
    return MutationReport(kata.id, seed, kata.mutation.floor, len(made), graded,
                          list(tallies.values()), stale, seconds, jobs or 0)
