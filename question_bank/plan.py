"""Interview plans on seed 003's timing model, filled with questions that fit exactly.

Every block starts at its minimum (introduction 10, technical sections 5, advanced 10, the
candidate's questions 5, livecoding parts at the kata's minimum); the minutes left over are
handed out one at a time, round-robin, up to each block's maximum. Within a question block the
questions are drawn (seeded) to add up to the block's minutes, preferring the plan's level and
never going above it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.errors import UserError
from question_bank.kata_parts import KataParts, load_kata_parts
from question_bank.models import Level, Question
from question_bank.sections import CANDIDATE_QUESTIONS_MINUTES, SECTIONS

RATING_AREAS = ("communication", "problem solving", "technical competency", "testing")
RATING_SCALE = (1, 2, 3, 4)  # 1 weak ... 4 strong
RECOMMENDATIONS = ("strong hire", "hire", "no hire", "strong no hire")


@dataclass
class Slot:
    id: str
    title: str
    kind: str  # "questions" | "livecoding" | "candidate-questions"
    low: int
    high: int
    optional: bool = False
    work: str = ""
    minutes: int = 0


@dataclass(frozen=True)
class PlanItem:
    question: Question
    minutes: int


@dataclass
class Block:
    id: str
    title: str
    kind: str
    minutes: int
    start: int
    work: str = ""
    items: list[PlanItem] = field(default_factory=list)


@dataclass
class Plan:
    level: Level
    minutes: int
    seed: int
    kata: KataParts | None
    blocks: list[Block]

    @property
    def questions(self) -> list[PlanItem]:
        return [item for block in self.blocks for item in block.items]

    def command(self) -> str:
        kata = f" --kata {self.kata.id}" if self.kata else ""
        return (f"kata plan --level {self.level.value} --minutes {self.minutes}{kata}"
                f" --seed {self.seed}")

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "minutes": self.minutes,
            "seed": self.seed,
            "kata": self.kata.id if self.kata else None,
            "command": self.command(),
            "blocks": [
                {
                    "id": block.id, "title": block.title, "kind": block.kind,
                    "minutes": block.minutes, "start": block.start, "work": block.work or None,
                    "questions": [
                        {**item.question.to_dict("interviewer"), "planned_minutes": item.minutes,
                         "notes": "", "hints_used": None, "seen_before": None}
                        for item in block.items
                    ],
                }
                for block in self.blocks
            ],
            "scorecard": {
                "scale": list(RATING_SCALE),
                "ratings": {area: None for area in RATING_AREAS},
                "recommendations": list(RECOMMENDATIONS),
                "recommendation": None,
            },
        }


def base_slots(kata: KataParts | None) -> list[Slot]:
    slots = [
        Slot(s.id, s.title, "questions", *s.minutes, optional=s.optional) for s in SECTIONS
    ]
    if kata is not None:
        slots += [
            Slot(f"{kata.id}:{p.id}", f"Livecoding: {p.title}", "livecoding", *p.minutes,
                 work=p.work)
            for p in kata.parts
        ]
    slots.append(Slot("candidate-questions", "The candidate's questions", "candidate-questions",
                      CANDIDATE_QUESTIONS_MINUTES, CANDIDATE_QUESTIONS_MINUTES))
    return slots


def minute_range(kata: KataParts | None) -> tuple[int, int]:
    """Shortest and longest plan the timing model allows (optional sections only count up)."""
    slots = base_slots(kata)
    return (sum(s.low for s in slots if not s.optional), sum(s.high for s in slots))


def default_minutes(kata: KataParts | None) -> int:
    low, high = minute_range(kata)
    return max(low, min(high, 5 * round((low + high) / 10)))


def allocate(slots: list[Slot], total: int) -> list[Slot]:
    """Choose the slots and their minutes so they add up to `total` exactly."""
    low, high = (sum(s.low for s in slots if not s.optional), sum(s.high for s in slots))
    if not low <= total <= high:
        raise UserError(
            f"{total} minutes do not fit this plan: it takes {low} to {high} minutes "
            f"(intro 10-15, sections 5-7, advanced 10-15, 5 for the candidate's questions"
            f"{', plus the kata parts' if any(s.kind == 'livecoding' for s in slots) else ''})"
        )
    chosen: list[Slot] = []
    used = low
    for slot in slots:
        if slot.optional:
            if used + slot.low > total:
                continue
            used += slot.low
        chosen.append(slot)
        slot.minutes = slot.low
    left = total - used
    while left:
        grew = False
        for slot in chosen:
            if left and slot.minutes < slot.high:
                slot.minutes += 1
                left -= 1
                grew = True
        if not grew:  # cannot happen while total <= high; guards an endless loop
            raise UserError(f"cannot spread {total} minutes over the plan")
    return chosen


def pick_exact(candidates: list[Question], target: int,
               value: Callable[[Question], int] | None = None) -> list[Question]:
    """Questions whose minutes add up to `target` (or as close below as any subset gets),
    maximising the summed `value`; among equal choices, earlier candidates win."""
    worth = value or (lambda q: 0)
    n = len(candidates)
    impossible = -1
    # best[i][s]: the most value items i.. can give with minutes summing exactly to s.
    best = [[impossible] * (target + 1) for _ in range(n + 1)]
    best[n][0] = 0
    for i in range(n - 1, -1, -1):
        m, v = candidates[i].minutes, worth(candidates[i])
        for s in range(target + 1):
            skip = best[i + 1][s]
            take = best[i + 1][s - m] + v if s >= m and best[i + 1][s - m] != impossible else -1
            best[i][s] = max(skip, take)
    remaining = max(s for s in range(target + 1) if best[0][s] != impossible)
    chosen = []
    for i, question in enumerate(candidates):
        m = question.minutes
        if (m <= remaining and best[i + 1][remaining - m] != impossible
                and best[i + 1][remaining - m] + worth(question) == best[i][remaining]):
            chosen.append(question)
            remaining -= m
    return chosen


def fill_block(pool: list[Question], level: Level, minutes: int,
               rng: random.Random) -> list[PlanItem]:
    eligible = [q for q in pool if q.level.rank <= level.rank]
    if not eligible:
        return []
    rng.shuffle(eligible)
    # Minutes at the level asked count double, one level below once, lower not at all.
    chosen = pick_exact(eligible, minutes,
                        value=lambda q: q.minutes * max(0, 2 - (level.rank - q.level.rank)))
    if not chosen:  # every question is longer than the block: take the shortest, trimmed
        chosen = [min(eligible, key=lambda q: q.minutes)]
    position = {q.id: index for index, q in enumerate(pool)}
    chosen.sort(key=lambda q: position[q.id])  # ask in the bank's order: openers come first
    planned = [q.minutes for q in chosen]
    slack = minutes - sum(planned)
    index = 0
    while slack > 0:  # leftover minutes go to follow-ups, spread over the questions
        planned[index % len(planned)] += 1
        slack -= 1
        index += 1
    if slack < 0:
        planned[0] += slack
    return [PlanItem(q, m) for q, m in zip(chosen, planned, strict=True)]


def build_plan(
    questions: list[Question],
    level: Level = Level.mid,
    minutes: int | None = None,
    kata: KataParts | None = None,
    seed: int | None = None,
) -> Plan:
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    total = minutes if minutes is not None else default_minutes(kata)
    rng = random.Random(seed)
    blocks: list[Block] = []
    start = 0
    for slot in allocate(base_slots(kata), total):
        block = Block(slot.id, slot.title, slot.kind, slot.minutes, start, work=slot.work)
        if slot.kind == "questions":
            pool = [q for q in questions if q.section == slot.id]
            block.items = fill_block(pool, level, slot.minutes, rng)
            if not block.items:
                raise UserError(f"section {slot.id!r} has no question at {level.value} level "
                                "or below to plan")
        blocks.append(block)
        start += slot.minutes
    return Plan(level=level, minutes=total, seed=seed, kata=kata, blocks=blocks)


def plan_for_kata(questions: list[Question], *, level: Level, minutes: int | None,
                  kata_id: str | None, seed: int | None) -> Plan:
    """The plan `kata plan` makes for these options: `kata interview` builds the same one."""
    kata = load_kata_parts(kata_id) if kata_id else None
    return build_plan(questions, level=level, minutes=minutes, kata=kata, seed=seed)
