"""The interview as the app drives it: where the interviewer is, what a key does to the record,
and the clock. No terminal here, so every rule is tested without one (tests/test_interview.py).

The record is the `InterviewSession`; this adds only what is not worth keeping: the cursor
within a block and a note being typed (the note itself is in the record from its first letter).
Each block lists what is rated in it: a question block its questions, a livecoding block the
kata's manual checklist items of its part (items of no part go to the last livecoding block),
and the last block, after its own, the plan's rating areas and the recommendation with its reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from grader.interview.plan_view import PlanBlock, PlanQuestion, PlanView
from grader.interview.record import BlockTime, InterviewSession, Rating
from question_bank.plan import RATING_AREAS, RATING_SCALE, RECOMMENDATIONS

CLOCK_SAVE_SECONDS = 5.0  # the clock alone is saved this often: a SIGKILL loses at most this
# Keys 1-4 pick a recommendation as they rate: 4 the strongest yes, 1 the strongest no.
RECOMMENDATION_KEYS = dict(zip("4321", RECOMMENDATIONS, strict=True))

EntryKind = Literal["question", "item", "area", "recommendation"]


@dataclass(frozen=True)
class ManualItem:
    """A manual checklist item of the kata: judged by the interviewer, not by a check."""

    id: str
    text: str
    part: str | None = None


@dataclass(frozen=True)
class Entry:
    """One thing to rate on the screen."""

    kind: EntryKind
    key: str  # question id, item id, area name; "recommendation"
    title: str
    question: PlanQuestion | None = None


@dataclass(frozen=True)
class Outcome:
    """What a key did: whether the record changed (so it is saved before the screen shows it),
    and whether the app should leave ("quit", "finish")."""

    changed: bool = False
    leave: str | None = None
    message: str = ""


def new_session(plan: dict, interviewer: str, candidate: str, workspace: str | None,
                manual: list[ManualItem]) -> InterviewSession:
    """A fresh record: every block, question, manual item and area present and unrated, so the
    file says from the start what is left to rate."""
    view = PlanView.of(plan, "the plan")
    return InterviewSession(
        interviewer=interviewer, candidate=candidate, kata=view.kata, workspace=workspace,
        plan=plan, started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        blocks=[BlockTime(id=b.id, title=b.title, planned_minutes=b.minutes)
                for b in view.blocks],
        questions={q.id: Rating() for b in view.blocks for q in b.questions},
        items={item.id: Rating() for item in manual},
        areas={area: Rating() for area in RATING_AREAS},
    )


class Interview:
    def __init__(self, session: InterviewSession, manual: list[ManualItem],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.session = session
        self.plan = PlanView.of(session.plan, "the session's plan")
        if len(session.blocks) != len(self.plan.blocks) \
                or not 0 <= session.current_block < len(self.plan.blocks):
            raise ValueError("the session's blocks do not match its plan")
        self.manual = manual
        self._entries = [self._block_entries(index) for index in range(len(self.plan.blocks))]
        self.cursor = 0
        self.editing = False
        self.paused = False  # a resumed interview runs: its file was left with the clock on
        self._clock = clock
        self._last_tick = clock()
        self._last_clock_save = session.elapsed_seconds

    # --- what is where ---------------------------------------------------------------------

    def _block_entries(self, index: int) -> list[Entry]:
        block = self.plan.blocks[index]
        entries = [Entry("question", q.id, q.question, q) for q in block.questions]
        if block.kind == "livecoding":
            livecoding = [i for i, b in enumerate(self.plan.blocks) if b.kind == "livecoding"]
            part = block.id.split(":", 1)[-1]
            parts = {b.id.split(":", 1)[-1] for b in self.plan.blocks if b.kind == "livecoding"}
            entries += [Entry("item", item.id, item.text) for item in self.manual
                        if item.part == part
                        or (index == livecoding[-1] and item.part not in parts)]
        if index == len(self.plan.blocks) - 1:
            entries += [Entry("area", area, area.capitalize()) for area in RATING_AREAS]
            entries.append(Entry("recommendation", "recommendation", "Recommendation"))
        return entries

    @property
    def block_index(self) -> int:
        return self.session.current_block

    @property
    def block(self) -> PlanBlock:
        return self.plan.blocks[self.block_index]

    @property
    def entries(self) -> list[Entry]:
        return self._entries[self.block_index]

    @property
    def entry(self) -> Entry | None:
        return self.entries[self.cursor] if self.entries else None

    def rating_of(self, entry: Entry) -> Rating:
        """The record's rating of `entry`, made on first use (a plan item missing from an old
        file, say)."""
        if entry.kind == "recommendation":
            return Rating(note=self.session.reason)
        table = {"question": self.session.questions, "item": self.session.items,
                 "area": self.session.areas}[entry.kind]
        return table.setdefault(entry.key, Rating())

    def note_of(self, entry: Entry) -> str:
        return self.rating_of(entry).note

    # --- the clock ---------------------------------------------------------------------------

    def tick(self) -> bool:
        """Move the clock on to now, into the current block; True when the clock alone is due
        to be saved."""
        now = self._clock()
        spent, self._last_tick = max(0.0, now - self._last_tick), now
        if self.paused:
            return False
        self.session.elapsed_seconds += spent
        self.session.blocks[self.block_index].spent_seconds += spent
        return self.session.elapsed_seconds - self._last_clock_save >= CLOCK_SAVE_SECONDS

    def saved(self) -> None:
        """The record, clock included, is on disk as it is now."""
        self._last_clock_save = self.session.elapsed_seconds

    def block_left(self) -> float:
        """Seconds left in the current block; negative once it runs over."""
        spent = self.session.blocks[self.block_index]
        return spent.planned_minutes * 60 - spent.spent_seconds

    def overall_left(self) -> float:
        return self.plan.minutes * 60 - self.session.elapsed_seconds

    # --- keys ----------------------------------------------------------------------------------

    def press(self, key: str) -> Outcome:
        """Apply one key: a character, or a name (up, down, left, right, enter, backspace, esc,
        ctrl-c)."""
        if key == "ctrl-c":
            self.editing = False
            return Outcome(leave="interrupt")
        if self.editing:
            return self._type(key)
        if key in ("up", "k"):
            self.cursor = max(0, self.cursor - 1)
        elif key in ("down", "j"):
            self.cursor = min(max(0, len(self.entries) - 1), self.cursor + 1)
        elif key in ("left", "right"):
            return self.go_block(-1 if key == "left" else 1)
        elif key in ("enter", "e") and self.entry is not None:
            self.editing = True
            return Outcome(message="typing a note: Enter or Esc ends it")
        elif key == "0" or (key.isdigit() and int(key) in RATING_SCALE):
            return self.rate(None if key == "0" else int(key))
        elif key == "F":
            return self.finish()
        elif key == "p":
            self.tick()  # the time up to the pause counts
            self.paused = not self.paused
            return Outcome(changed=True, message="paused: p runs the clock again"
                           if self.paused else "")
        elif key == "q":
            return Outcome(leave="quit")
        return Outcome()

    def go_block(self, step: int) -> Outcome:
        target = self.block_index + step
        if not 0 <= target < len(self.plan.blocks):
            return Outcome(message="no block further" if step > 0 else "this is the first block")
        self.tick()  # the time so far belongs to the block being left
        self.session.current_block = target
        self.cursor = 0
        return Outcome(changed=True)

    def rate(self, value: int | None) -> Outcome:
        entry = self.entry
        if entry is None:
            return Outcome(message="nothing to rate in this block")
        if entry.kind == "recommendation":
            self.session.recommendation = RECOMMENDATION_KEYS[str(value)] if value else None
        else:
            if value is not None and value not in RATING_SCALE:
                return Outcome()
            self.rating_of(entry).rating = value
        return Outcome(changed=True)

    def _type(self, key: str) -> Outcome:
        entry = self.entry
        assert entry is not None  # editing starts only on an entry
        note = self.note_of(entry)
        if key in ("enter", "esc"):
            self.editing = False
            return Outcome()
        if key == "backspace":
            if not note:
                return Outcome()
            note = note[:-1]
        elif len(key) == 1 and key.isprintable():
            note += key
        else:
            return Outcome()
        if entry.kind == "recommendation":
            self.session.reason = note
        else:
            self.rating_of(entry).note = note
        return Outcome(changed=True)

    def finish(self) -> Outcome:
        if self.session.recommendation is None or not self.session.reason.strip():
            return Outcome(message="to finish, pick a recommendation and write its reason "
                                   "(last block, Recommendation)")
        self.tick()
        self.session.finished = True
        return Outcome(changed=True, leave="finish")

    def unrated(self) -> int:
        """How many questions, manual items and areas are still unrated."""
        tables = (self.session.questions, self.session.items, self.session.areas)
        return sum(rating.rating is None for table in tables for rating in table.values())
