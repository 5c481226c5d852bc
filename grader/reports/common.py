"""What every report format says the same way: ranking, counts, points, one-line reasons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
    """Best score first; at equal scores graded before errors, then by submission for stability."""
    return sorted(cards, key=lambda c: (-c.score, c.status == "error", c.submission))


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
