"""The session file of one interview: what the interviewer rated, wrote and spent, per block.

One interviewer, one candidate, one file. `kata interview` writes it after every change that
touches the record, atomically (a temporary file beside it, fsynced, then renamed over it), so a
crash or a closed terminal leaves the last saved state whole; `--resume` reads it back, clock
included. `kata grade --session` joins it with the hidden-check scorecard. The JSON form is
versioned (`SCHEMA`) and documented in README.md: bump the version whenever a field changes
meaning or goes away.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader.errors import UserError
from question_bank.plan import RATING_SCALE, RECOMMENDATIONS

SCHEMA = "katabench.interview/1"
Recommendation = Literal[RECOMMENDATIONS]  # type: ignore[valid-type]  # one list, the plan's


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Rating(_Record):
    """One rated thing: a question, a manual checklist item or a plan area."""

    rating: int | None = Field(None, ge=RATING_SCALE[0], le=RATING_SCALE[-1], description=(
        "The plan's scale: 1 weak ... 4 strong; None until rated."))
    note: str = ""

    @property
    def fraction(self) -> float | None:
        """The share of an item's points a rating earns: 1 → 0, 4 → all of them."""
        if self.rating is None:
            return None
        low, high = RATING_SCALE[0], RATING_SCALE[-1]
        return (self.rating - low) / (high - low)


class BlockTime(_Record):
    """Seconds of the interview clock spent in one block of the plan."""

    id: str
    title: str
    planned_minutes: int
    spent_seconds: float = 0.0


class InterviewSession(_Record):
    schema_: Literal["katabench.interview/1"] = Field(SCHEMA, alias="schema")
    interviewer: str = Field(description="Who rated: tells several sessions of one candidate "
                             "apart.")
    candidate: str
    kata: str | None = None
    workspace: str | None = Field(None, description="The candidate's workspace or archive, as "
                                  "given; `kata check` ran on it in the livecoding blocks.")
    plan: dict[str, Any] = Field(description="The plan as `kata plan --format json` gives it, "
                                 "kept whole so a resume needs nothing else.")
    started_at: str = Field(description="When the interview began, ISO 8601 with zone.")
    elapsed_seconds: float = Field(0.0, description="The interview clock when last saved; "
                                   "time while the app was not running does not count.")
    current_block: int = 0
    blocks: list[BlockTime] = Field(default_factory=list)
    questions: dict[str, Rating] = Field(default_factory=dict, description="By question id.")
    items: dict[str, Rating] = Field(default_factory=dict, description=(
        "By the kata's manual checklist item id."))
    areas: dict[str, Rating] = Field(default_factory=dict, description=(
        "By the plan's rating area (communication, problem solving, ...)."))
    recommendation: Recommendation | None = None
    reason: str = ""
    finished: bool = False


def save_session(session: InterviewSession, path: Path) -> None:
    """Write the record so that a reader, or a crash at any instant, sees the old file or the
    new one, never part of either."""
    data = session.model_dump_json(by_alias=True, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut once the
        directory = os.open(path.parent, os.O_RDONLY)  # folder's entry is on disk
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def load_session(path: Path) -> InterviewSession:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such session file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read the session file ({error})") from None
    try:
        return InterviewSession.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise UserError(f"{path}: not a {SCHEMA} session file ({where}: {first['msg']})") \
            from None
