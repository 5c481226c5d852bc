"""The shape of one question, validated by pydantic so a typo in YAML is caught by the lint.

Unknown keys are rejected (a misspelt `folow_ups` would otherwise vanish silently), and the
`id` is a slug chosen by hand: progress and plans key on it, so it must survive text edits.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from question_bank.sections import SECTION_IDS

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Audience = Literal["candidate", "interviewer"]

# Interviewer material: never shown in candidate-facing views and exports.
INTERVIEWER_FIELDS = ("key_points", "rubric", "hints")


class Level(str, Enum):
    junior = "junior"
    mid = "mid"
    senior = "senior"

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self)


LEVEL_ORDER = (Level.junior, Level.mid, Level.senior)


class Kind(str, Enum):
    theory = "theory"
    code_reading = "code-reading"
    design = "design"
    debugging = "debugging"
    behavioural = "behavioural"


class Rubric(BaseModel):
    """What a strong, an adequate and a weak answer sound like."""

    model_config = ConfigDict(extra="forbid")

    strong: Text
    adequate: Text
    weak: Text


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    section: str
    question: Text
    short_answer: Text
    answer: Text
    key_points: list[Text] = Field(min_length=1)
    rubric: Rubric
    hints: list[Text]
    follow_ups: list[Text]
    level: Level
    difficulty: int = Field(ge=1, le=5)
    kind: Kind
    tags: list[Slug] = Field(min_length=1)
    minutes: int = Field(ge=1, le=20)
    source: Text
    kata: Slug | None = None

    @field_validator("section")
    @classmethod
    def _known_section(cls, value: str) -> str:
        if value not in SECTION_IDS:
            raise ValueError(f"unknown section {value!r} (known: {', '.join(SECTION_IDS)})")
        return value

    @field_validator("short_answer")
    @classmethod
    def _short(cls, value: str) -> str:
        lines = [line for line in value.splitlines() if line.strip()]
        if len(lines) > 3 or len(value) > 400:
            raise ValueError("must be one to three short lines (at most 400 characters)")
        return value

    def to_dict(self, audience: Audience = "interviewer") -> dict[str, Any]:
        """Plain data for JSON and templates; the candidate audience drops interviewer material."""
        data = self.model_dump(mode="json")
        if audience == "candidate":
            for name in INTERVIEWER_FIELDS:
                data.pop(name, None)
        return data
