"""The interview's part of a scorecard: every interviewer's ratings, notes, times and verdict.

Shapes only, with their JSON form, so the scorecard can carry them without knowing how they
were joined (grader/interview/join.py) and every report renders them from the card alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.interview.record import BlockTime, Rating

CALIBRATION_STEPS = 2  # interviewers this many steps apart on one thing should talk it over


@dataclass(frozen=True)
class Given:
    """One interviewer's rating of one thing (None: not rated) and the note beside it."""

    interviewer: str
    rating: int | None
    note: str = ""


@dataclass(frozen=True)
class Rated:
    """One question, manual checklist item or plan area, as every interviewer rated it."""

    id: str
    text: str
    given: tuple[Given, ...]

    @property
    def ratings(self) -> list[int]:
        return [g.rating for g in self.given if g.rating is not None]

    @property
    def mean(self) -> float | None:
        ratings = self.ratings
        return round(sum(ratings) / len(ratings), 2) if ratings else None

    @property
    def spread(self) -> int | None:
        """Steps between the lowest and the highest rating; 0 with one rating."""
        ratings = self.ratings
        return max(ratings) - min(ratings) if ratings else None

    @property
    def calibrate(self) -> bool:
        return (self.spread or 0) >= CALIBRATION_STEPS

    @property
    def fraction(self) -> float:
        """The share of an item's points its ratings earn: each Rating.fraction, averaged over
        the interviewers who rated it; nothing while unrated."""
        shares = [Rating(rating=rating).fraction or 0.0 for rating in self.ratings]
        return sum(shares) / len(shares) if shares else 0.0

    def summary(self) -> str:
        """"alice 3, bob 4 · mean 3.5, spread 1": for a line or a cell."""
        if not self.ratings:
            return "unrated"
        each = ", ".join(f"{g.interviewer} {'-' if g.rating is None else g.rating}"
                         for g in self.given)
        flag = " · calibrate" if self.calibrate else ""
        return f"{each} · mean {self.mean:g}, spread {self.spread}{flag}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text,
                "ratings": [{"interviewer": g.interviewer, "rating": g.rating, "note": g.note}
                            for g in self.given],
                "mean": self.mean, "spread": self.spread, "calibrate": self.calibrate}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rated:
        return cls(id=data["id"], text=data["text"],
                   given=tuple(Given(**given) for given in data["ratings"]))


@dataclass(frozen=True)
class Verdict:
    """One interviewer's session: the recommendation, its reason, and the clock per block."""

    interviewer: str
    recommendation: str | None
    reason: str
    started_at: str
    elapsed_seconds: float
    finished: bool
    blocks: tuple[BlockTime, ...]

    def to_json(self) -> dict[str, Any]:
        return {"interviewer": self.interviewer, "recommendation": self.recommendation,
                "reason": self.reason, "started_at": self.started_at,
                "elapsed_seconds": round(self.elapsed_seconds, 1), "finished": self.finished,
                "blocks": [{**block.model_dump(), "spent_seconds": round(block.spent_seconds, 1)}
                           for block in self.blocks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        return cls(**{**data, "blocks": tuple(BlockTime(**b) for b in data["blocks"])})


@dataclass(frozen=True)
class Interview:
    """What the sessions of one candidate add to the scorecard; the manual items' ratings sit
    on the items themselves (ItemScore.rated), as they carry points."""

    candidate: str
    verdicts: tuple[Verdict, ...]
    questions: tuple[Rated, ...]
    areas: tuple[Rated, ...]

    @property
    def interviewers(self) -> list[str]:
        return [verdict.interviewer for verdict in self.verdicts]

    def recommendations(self) -> str:
        """"alice: hire · bob: no hire": the summary's cell."""
        return " · ".join(f"{v.interviewer}: {v.recommendation or 'none yet'}"
                          for v in self.verdicts)

    def blocks(self) -> list[tuple[BlockTime, list[float | None]]]:
        """Each block of the plans (in order, once), with every interviewer's seconds in it."""
        seen: dict[str, BlockTime] = {}
        for verdict in self.verdicts:
            for block in verdict.blocks:
                seen.setdefault(block.id, block)
        return [(block, [next((b.spent_seconds for b in v.blocks if b.id == block.id), None)
                         for v in self.verdicts])
                for block in seen.values()]

    def to_json(self) -> dict[str, Any]:
        return {"candidate": self.candidate,
                "sessions": [verdict.to_json() for verdict in self.verdicts],
                "questions": [rated.to_json() for rated in self.questions],
                "areas": [rated.to_json() for rated in self.areas]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Interview:
        return cls(candidate=data["candidate"],
                   verdicts=tuple(Verdict.from_json(v) for v in data["sessions"]),
                   questions=tuple(Rated.from_json(r) for r in data["questions"]),
                   areas=tuple(Rated.from_json(r) for r in data["areas"]))


def minutes(seconds: float | None) -> str:
    """90.0 -> "1.5 min": block times as an interviewer reads them."""
    return "" if seconds is None else f"{seconds / 60:.1f} min"
