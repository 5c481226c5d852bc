"""What every report format says the same way: ranking, counts, points, one-line reasons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader.interview.card import Rated
from grader.scoring import ItemScore, Scorecard

MANUAL = "for the interviewer"
NOT_GRADED = "not graded"
ICONS = {"passed": "✓", "partial": "✗", "failed": "✗", "manual": "–"}


@dataclass(frozen=True)
class Entry:
    """A scorecard with its place in the ranking and the base name its files share."""

    rank: int
    name: str
    card: Scorecard


def ranked(cards: Sequence[Scorecard]) -> list[Scorecard]:
    """Best total first (the auto part alone without sessions); at equal totals graded before
    errors, then by submission for stability."""
    return sorted(cards, key=lambda c: (-c.total, c.status == "error", c.submission))


def counts(cards: Sequence[Scorecard]) -> dict[str, int]:
    return {
        "submissions": len(cards),
        "graded": sum(card.status == "graded" for card in cards),
        "errors": sum(card.status == "error" for card in cards),
        "full_marks": sum(card.status == "graded" and card.max_score > 0
                          and card.score >= card.max_score for card in cards),
    }


def points(value: float) -> str:
    """10.0 -> "10", 6.666 -> "6.67": what a person reads, not float noise."""
    return f"{round(value, 2):g}"


def one_line(text: str) -> str:
    """Reasons and errors go in table cells and attributes: collapse all whitespace runs."""
    return " ".join(printable(text).split())


def item_label(item: ItemScore, error: str | None = None) -> str:
    """The status word a reader sees for an item."""
    if item.mode == "manual":
        return MANUAL
    if not item.checks:
        return NOT_GRADED if error else "no checks"
    return item.status


def item_icon(item: ItemScore) -> str:
    return ICONS.get(item.status, "✗")


def checks_passed(item: ItemScore) -> str:
    """"2/3": skipped checks count neither way, as in scoring."""
    return f"{item.passed_checks}/{len(item.counted)}" if item.mode == "auto" else ""


def first_miss(item: ItemScore, error: str | None = None) -> str:
    """The first failing check's reason; an ungraded item on an error card shows the error."""
    if item.mode == "manual":
        return ""
    if not item.checks and error:
        return one_line(error)
    return one_line(item.reason or "")


_CONTROL = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def printable(text: str) -> str:
    """Control characters become U+FFFD: reasons carry candidate output, XML 1.0 cannot hold
    most of them, and an ANSI escape in a report must not drive the terminal that cats it."""
    return _CONTROL.sub("\ufffd", text)


def card_miss(card: Scorecard) -> str:
    """A submission's headline problem: its error, else the first item missed and why."""
    if card.error:
        return one_line(card.error)
    for item in card.items:
        reason = first_miss(item)
        if reason:
            return f"{item.id}: {reason}"
    return ""


def summary_title(cards: Sequence[Scorecard]) -> str:
    titles = {card.title for card in cards if card.status == "graded"} or {
        card.title for card in cards}
    return f"{titles.pop()}: ranking" if len(titles) == 1 else "katabench ranking"


def interviewed(cards: Sequence[Scorecard]) -> bool:
    """Whether any card has sessions joined: only then do summaries grow interview columns."""
    return any(card.interview is not None for card in cards)


def rated_sections(card: Scorecard) -> list[tuple[str, str, list[Rated]]]:
    """(id, heading, rows) of what the interviewers rated: manual items, questions, areas."""
    if card.interview is None:
        return []
    items = [item.rated for item in card.items if item.rated is not None]
    sections = [("items", "Checklist items", items),
                ("questions", "Questions", list(card.interview.questions)),
                ("areas", "Areas", list(card.interview.areas))]
    return [section for section in sections if section[2]]


def rating_cell(rating: int | None) -> str:
    return "–" if rating is None else str(rating)


def mean_cell(rated: Rated) -> str:
    return "–" if rated.mean is None else f"{rated.mean:g}"


def interview_notes(card: Scorecard) -> list[tuple[str, str, str]]:
    """(what, interviewer, note) for every note written, in the order of rated_sections."""
    return [(rated.id, given.interviewer, given.note)
            for _, _, rows in rated_sections(card) for rated in rows
            for given in rated.given if given.note.strip()]
