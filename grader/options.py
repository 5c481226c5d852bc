"""How to grade: the options every grading entry point takes, in a module light enough for the
command line to import before anything heavy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.kata import Kata


@dataclass(frozen=True)
class GradeOptions:
    seed: int | None = None
    timeout: float | None = None  # None: the kata's own (kata.yaml `limits.time_seconds`)
    isolation: str = "full"
    kata_id: str | None = None
    db: str | None = None
    db_url: str | None = None

    def time_limit(self, kata: Kata) -> float:
        """The wall-clock limit of one submission of `kata`: --timeout when given."""
        return self.timeout if self.timeout is not None else kata.limits.time_seconds

    def longest_time_limit(self) -> float:
        """The limit of a submission whose kata is not known yet: the longest any kata has."""
        if self.timeout is not None:
            return self.timeout
        from grader.kata import load_all_katas

        return max((kata.limits.time_seconds for kata in load_all_katas()), default=60.0)
