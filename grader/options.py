"""How to grade: the options every grading entry point takes, in a module light enough for the
command line to import before anything heavy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GradeOptions:
    seed: int | None = None
    timeout: float = 60.0
    isolation: str = "full"
    kata_id: str | None = None
    db: str | None = None
    db_url: str | None = None
