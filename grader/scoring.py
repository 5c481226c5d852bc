"""From check outcomes to a scorecard: the data every view and report is rendered from.

The JSON form is versioned (`SCHEMA`) and documented in README.md: bump the version whenever a
field changes meaning or goes away.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from grader.interview.card import Interview, Rated
from grader.kata import ChecklistItem, Kata

SCHEMA = "katabench.scorecard/4"  # 2: hints_used; 3: tiers, each item's tier; 4: the interview
Outcome = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class CheckResult:
    nodeid: str
    outcome: Outcome
    message: str = ""
    duration: float = 0.0

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    @property
    def name(self) -> str:
        return self.nodeid.rsplit("::", 1)[-1]


@dataclass(frozen=True)
class ItemScore:
    id: str
    text: str
    mode: str
    points: float
    earned: float
    checks: tuple[CheckResult, ...]
    tier: str | None = None
    rated: Rated | None = None  # a manual item's ratings, once sessions are joined

    @property
    def counted(self) -> tuple[CheckResult, ...]:
        """Skipped checks (say, PostgreSQL-only ones on SQLite) count neither way."""
        return tuple(check for check in self.checks if check.outcome != "skipped")

    @property
    def passed_checks(self) -> int:
        return sum(check.passed for check in self.counted)

    @property
    def status(self) -> str:
        if self.mode == "manual":
            return "manual"
        if self.counted and self.passed_checks == len(self.counted):
            return "passed"
        return "partial" if self.passed_checks else "failed"

    @property
    def reason(self) -> str | None:
        """The first failing check's one-line reason: what a candidate reads first."""
        return next((c.message or c.outcome for c in self.counted if not c.passed), None)


@dataclass(frozen=True)
class TierScore:
    id: str
    title: str
    score: float
    max: float


@dataclass
class Scorecard:
    kata: str
    title: str
    submission: str
    layout: str | None
    database: str | None
    seed: int | None
    items: list[ItemScore]
    isolation: list[str] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)
    started_at: str | None = None
    planned_minutes: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    content_hash: str | None = None
    stack: dict[str, Any] | None = None  # grader/stacks.py: StackChoice.record()
    hints_used: dict[str, int] = field(default_factory=dict)  # as the workspace recorded them
    tier_titles: dict[str, str] = field(default_factory=dict)  # the kata's tiers, in order
    interview: Interview | None = None  # the interviewers' sessions, joined (interview/join.py)

    @property
    def score(self) -> float:
        """The auto part: what the hidden checks gave."""
        return round(sum(item.earned for item in self.items if item.mode == "auto"), 2)

    @property
    def max_score(self) -> float:
        return sum(item.points for item in self.items if item.mode == "auto")

    @property
    def manual_score(self) -> float:
        """The manual part: what the interviewers' ratings gave (0 without sessions)."""
        return round(sum(item.earned for item in self.items if item.mode == "manual"), 2)

    @property
    def manual_max(self) -> float:
        return sum(item.points for item in self.items if item.mode == "manual")

    @property
    def total(self) -> float:
        """What the ranking goes by: the auto part plus the manual part."""
        return round(self.score + self.manual_score, 2)

    @property
    def total_max(self) -> float:
        return self.max_score + self.manual_max

    @property
    def unrated(self) -> list[str]:
        """The manual items no interviewer has rated yet."""
        return [item.id for item in self.items
                if item.mode == "manual" and not (item.rated and item.rated.ratings)]

    def total_summary(self) -> str | None:
        """"87.5/115: auto 80/100 + manual 7.5/15; unrated: discussion.structure", or None
        when no session was joined (the card then reads as the auto part alone)."""
        if self.interview is None:
            return None
        line = (f"{self.total:g}/{self.total_max:g}: auto {self.score:g}/{self.max_score:g}"
                f" + manual {self.manual_score:g}/{self.manual_max:g}")
        return line + (f"; unrated: {', '.join(self.unrated)}" if self.unrated else "")

    def calibrations(self) -> list[Rated]:
        """Everything the interviewers rated two steps or more apart, items first."""
        if self.interview is None:
            return []
        rated = [item.rated for item in self.items if item.rated is not None]
        return [r for r in (*rated, *self.interview.questions, *self.interview.areas)
                if r.calibrate]

    @property
    def status(self) -> str:
        return "error" if self.error else "graded"

    def stack_summary(self) -> str | None:
        """The stack the candidate's code ran on, its versions, and the pins it did not honour."""
        if not self.stack:
            return None
        versions = ", ".join(f"{name} {ver}" for name, ver in self.stack["packages"].items())
        line = f"{self.stack['id']} (Python {self.stack['python']}: {versions})"
        if self.stack["unhonoured"]:
            line += f"; pins not honoured: {', '.join(self.stack['unhonoured'])}"
        return line

    @property
    def tiers(self) -> list[TierScore]:
        """The subtotal of each tier the kata grades in (none when it has no tiers)."""
        return [TierScore(id=tier, title=title,
                          score=round(sum(i.earned for i in self.items
                                          if i.tier == tier and i.mode == "auto"), 2),
                          max=sum(i.points for i in self.items
                                  if i.tier == tier and i.mode == "auto"))
                for tier, title in self.tier_titles.items()]

    def tiers_summary(self) -> str | None:
        """"Must have 40/40 · Bonus 10/25 · Extra credit 0/20", or None for a kata without."""
        if not self.tier_titles:
            return None
        return " · ".join(f"{t.title} {t.score:g}/{t.max:g}" for t in self.tiers)

    def hints_summary(self) -> str | None:
        """"2 hints used on backend.stock": what the workspace recorded, in a folder the candidate
        can edit, so every view says whose record it is. None when none were recorded."""
        if not self.hints_used:
            return None
        used = ", ".join(f"{count} hint{'' if count == 1 else 's'} used on {item}"
                         for item, count in self.hints_used.items())
        return f"{used} (as recorded in the workspace)"

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA, "kata": self.kata, "title": self.title,
            "submission": self.submission, "status": self.status, "error": self.error,
            "score": self.score, "max": self.max_score, "seed": self.seed,
            "layout": self.layout, "database": self.database, "isolation": self.isolation,
            "started_at": self.started_at,
            "planned_minutes": list(self.planned_minutes) if self.planned_minutes else None,
            "durations": {k: round(v, 3) for k, v in self.durations.items()},
            "notes": self.notes, "content_hash": self.content_hash, "stack": self.stack,
            "hints_used": self.hints_used,
            "tiers": [asdict(tier) for tier in self.tiers],
            "total": {"score": self.total, "max": self.total_max, "auto": self.score,
                      "auto_max": self.max_score, "manual": self.manual_score,
                      "manual_max": self.manual_max, "unrated": self.unrated},
            "items": [
                {"id": item.id, "text": item.text, "tier": item.tier, "mode": item.mode,
                 "points": item.points,
                 "earned": round(item.earned, 2), "status": item.status, "reason": item.reason,
                 "checks": [{**asdict(check), "duration": round(check.duration, 3)}
                            for check in item.checks],
                 "rated": item.rated.to_json() if item.rated else None}
                for item in self.items
            ],
            "interview": self.interview.to_json() if self.interview else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorecard:
        items = [ItemScore(id=i["id"], text=i["text"], mode=i["mode"], points=i["points"],
                           earned=i["earned"], checks=tuple(CheckResult(**c) for c in i["checks"]),
                           tier=i.get("tier"),
                           rated=Rated.from_json(i["rated"]) if i.get("rated") else None)
                 for i in data["items"]]
        interview = data.get("interview")
        planned = data.get("planned_minutes")
        return cls(kata=data["kata"], title=data["title"], submission=data["submission"],
                   layout=data.get("layout"), database=data.get("database"),
                   seed=data.get("seed"), items=items, isolation=data.get("isolation", []),
                   durations=data.get("durations", {}), started_at=data.get("started_at"),
                   planned_minutes=tuple(planned) if planned else None,
                   notes=data.get("notes", []), error=data.get("error"),
                   content_hash=data.get("content_hash"), stack=data.get("stack"),
                   hints_used=data.get("hints_used", {}),
                   tier_titles={t["id"]: t["title"] for t in data.get("tiers", [])},
                   interview=Interview.from_json(interview) if interview else None)


def score_item(item: ChecklistItem, checks: list[CheckResult]) -> ItemScore:
    counted = [c for c in checks if c.outcome != "skipped"]
    if item.mode == "manual" or not counted:
        earned = 0.0
    elif item.all_or_nothing:
        earned = item.points if all(c.passed for c in counted) else 0.0
    else:
        earned = item.points * sum(c.passed for c in counted) / len(counted)
    return ItemScore(id=item.id, text=item.text, mode=item.mode, points=item.points,
                     earned=earned, checks=tuple(checks), tier=item.tier)


def score_checks(kata: Kata, results: list[CheckResult]) -> list[ItemScore]:
    """Group results under the items whose checks they back; an item backed by nothing is the
    kata author's mistake and must not pass silently."""
    items = []
    for item in kata.checklist:
        backing = [r for r in results if item.backs(r.nodeid)]
        if item.mode == "auto" and not backing:
            raise KataDefinitionError(f"{kata.id}: checklist item {item.id} matched no check")
        items.append(score_item(item, backing))
    return items


def error_scorecard(kata: Kata, submission: str, error: str, **extra: Any) -> Scorecard:
    """A submission that could not be graded at all still gets a card: every item at zero."""
    items = [score_item(item, []) for item in kata.checklist]
    return Scorecard(kata=kata.id, title=kata.title, submission=submission, layout=None,
                     database=None, seed=None, items=items, error=error,
                     tier_titles=tier_titles(kata), **extra)


def tier_titles(kata: Kata) -> dict[str, str]:
    return {tier.id: tier.title for tier in kata.tiers}


class KataDefinitionError(Exception):
    """The kata itself is inconsistent (a trainer's bug, found by `kata selftest`)."""
