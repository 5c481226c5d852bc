"""What the interview app reads from a plan (`kata plan --format json`): its blocks and, per
question, what the interviewer needs while asking it. Validated once, so a hand-edited or
truncated plan file is refused in one sentence instead of failing in the middle of an interview.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader.errors import UserError


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # the plan carries more than we show


class PlanQuestion(_Read):
    id: str
    question: str
    short_answer: str = ""
    follow_ups: tuple[str, ...] = ()
    planned_minutes: int = 0


class PlanBlock(_Read):
    id: str
    title: str
    kind: str = Field(description="questions | livecoding | candidate-questions")
    minutes: int = Field(ge=0)
    work: str | None = None
    questions: tuple[PlanQuestion, ...] = ()


class PlanView(_Read):
    level: str
    minutes: int = Field(ge=0)
    seed: int | None = None
    kata: str | None = None
    blocks: tuple[PlanBlock, ...] = Field(min_length=1)

    @classmethod
    def of(cls, data: dict[str, Any], origin: str) -> PlanView:
        """`data` read as a plan; `origin` names where it came from in the error."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the plan"
            raise UserError(f"{origin}: not a plan from `kata plan --format json` "
                            f"({where}: {first['msg']})") from None


def read_plan_file(path: Path) -> dict[str, Any]:
    """The plan JSON in `path`, checked to be one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such plan file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read the plan file ({error})") from None
    except ValueError as error:
        raise UserError(f"{path}: the plan file is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: not a plan from `kata plan --format json` (not an object)")
    PlanView.of(data, str(path))
    return data


def build_plan_json(level: str, minutes: int | None, kata_id: str | None, seed: int | None,
                    bank: list[Path] | None) -> dict[str, Any]:
    """The plan `kata plan --format json` prints for the same options."""
    from question_bank.bank import load_bank
    from question_bank.models import Level
    from question_bank.plan import plan_for_kata

    return plan_for_kata(load_bank(bank).questions, level=Level(level), minutes=minutes,
                         kata_id=kata_id, seed=seed).to_json()
