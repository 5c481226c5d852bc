"""The bank: the shipped questions with user banks layered on top, plus the lint over both.

Within one layer an id must be unique; a later layer may reuse an id on purpose to replace a
shipped question (a trainer's own wording), which keeps progress and plans keyed on the id.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UserError
from question_bank.loader import (
    DATA_DIR,
    Located,
    Problem,
    bank_files,
    bank_locations,
    display_path,
    read_file,
)
from question_bank.models import Level, Question
from question_bank.sections import SECTION_IDS


@dataclass
class Bank:
    located: dict[str, Located] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        """All questions in interview order: by section, then as written."""
        order = {section: index for index, section in enumerate(SECTION_IDS)}
        items = list(self.located.values())
        items.sort(key=lambda item: order.get(item.question.section, len(order)))
        return [item.question for item in items]

    def get(self, question_id: str) -> Question:
        if question_id in self.located:
            return self.located[question_id].question
        close = difflib.get_close_matches(question_id, list(self.located), n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `kata questions list`"
        raise UserError(f"no question with id {question_id!r}{hint}")

    def filter(
        self,
        section: str | None = None,
        level: Level | None = None,
        tag: str | None = None,
    ) -> list[Question]:
        if section is not None and section not in SECTION_IDS:
            raise UserError(f"unknown section {section!r} (known: {', '.join(SECTION_IDS)})")
        return [
            q
            for q in self.questions
            if (section is None or q.section == section)
            and (level is None or q.level == level)
            and (tag is None or tag in q.tags)
        ]


def _known_katas() -> set[str]:
    from katas import KATAS_DIR

    return {p.parent.name for p in KATAS_DIR.glob("*/kata.yaml")}


def build_bank(layers: list[Path]) -> Bank:
    """Load every layer in order, collecting problems rather than stopping at the first."""
    bank = Bank()
    katas = _known_katas()
    for layer in layers:
        if not layer.exists():
            raise UserError(f"question bank {display_path(layer)} does not exist")
        seen: dict[str, Located] = {}
        for path in bank_files(layer):
            bank.files.append(path)
            result = read_file(path)
            bank.problems.extend(result.problems)
            for item in result.questions:
                question = item.question
                if question.id in seen:
                    first = seen[question.id]
                    bank.problems.append(Problem(
                        path, item.line,
                        f"duplicate id {question.id!r} (first at "
                        f"{display_path(first.path)}:{first.line})",
                    ))
                    continue
                if question.kata is not None and question.kata not in katas:
                    bank.problems.append(Problem(
                        path, item.line,
                        f"question {question.id!r}: unknown kata {question.kata!r}",
                    ))
                seen[question.id] = item
        bank.located.update(seen)
    bank.problems.sort()
    return bank


def load_bank(user_banks: list[Path] | None = None, *, shipped: bool = True) -> Bank:
    """The bank the commands use; raises UserError when the lint would find a problem."""
    layers = ([DATA_DIR] if shipped else []) + bank_locations(user_banks)
    bank = build_bank(layers)
    if bank.problems:
        first, more = bank.problems[0], len(bank.problems) - 1
        tail = f" (and {more} more; run `kata questions lint`)" if more else ""
        raise UserError(f"{first}{tail}")
    return bank
