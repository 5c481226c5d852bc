"""Markdown scorecards: readable as plain text, and safe when a repo host or editor renders them.

Reasons and errors are candidate-controlled, so they go in code spans (no HTML, no formatting
is interpreted there); other text is backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.reports.common import (
    MANUAL,
    Entry,
    card_miss,
    checks_passed,
    counts,
    first_miss,
    item_icon,
    one_line,
    points,
    summary_title,
)
from grader.scoring import Scorecard

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")


def card_markdown(card: Scorecard) -> str:
    lines = [f"# {_escape(card.title)}: {_escape(card.submission)}", "",
             f"**Score: {points(card.score)} / {points(card.max_score)}** · {card.status}", ""]
    if card.error:
        lines += [f"**Not graded:** {_code(card.error)}", ""]
    lines += ["| | Item | Points | Checks | First miss |", "|:-:|---|--:|:-:|---|"]
    for item in card.items:
        label = f"{_escape(item.text)} ({_code(item.id, table=True)})"
        if item.tier:
            label += f" · {_escape(card.tier_titles.get(item.tier, item.tier))}"
        if item.mode == "manual":
            lines.append(f"| {item_icon(item)} | {label} | {MANUAL} | | |")
            continue
        lines.append(f"| {item_icon(item)} | {label} | {points(item.earned)} / "
                     f"{points(item.points)} | {checks_passed(item)} | "
                     f"{_code(first_miss(item, card.error), table=True)} |")
    lines += ["", *(f"- {key}: {_escape(value)}" for key, value in _facts(card))]
    if card.notes:
        lines += ["", "Notes:", *(f"- {_escape(one_line(note))}" for note in card.notes)]
    return "\n".join(lines) + "\n"


def summary_markdown(entries: Sequence[Entry]) -> str:
    cards = [entry.card for entry in entries]
    tally = counts(cards)
    lines = [f"# {_escape(summary_title(cards))}", "",
             " · ".join(f"{key.replace('_', ' ')}: {value}" for key, value in tally.items())
             .capitalize(), "",
             "| # | Submission | Score | Status | First miss | Hints |",
             "|--:|---|--:|---|---|---|"]
    tiered = any(card.tier_titles for card in cards)
    if tiered:
        lines[-2:] = ["| # | Submission | Score | Tiers | Status | First miss | Hints |",
                      "|--:|---|--:|---|---|---|---|"]
    for entry in entries:
        card = entry.card
        link = f"[{_escape(card.submission)}]({entry.name}.md)"
        tiers = f" {_escape(card.tiers_summary() or '')} |" if tiered else ""
        lines.append(f"| {entry.rank} | {link} | {points(card.score)} / "
                     f"{points(card.max_score)} |{tiers} {card.status} | "
                     f"{_code(card_miss(card), table=True)} | "
                     f"{_escape(card.hints_summary() or '')} |")
    return "\n".join(lines) + "\n"


def _facts(card: Scorecard) -> list[tuple[str, str]]:
    facts = [("Seed", card.seed), ("Database", card.database), ("Layout", card.layout),
             ("Isolation", ", ".join(card.isolation) or None), ("Stack", card.stack_summary()),
             ("Started", card.started_at), ("Hints", card.hints_summary()),
             ("Tiers", card.tiers_summary()), ("Content hash", card.content_hash)]
    return [(key, str(value)) for key, value in facts if value is not None]


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", one_line(text))


def _code(text: str, table: bool = False) -> str:
    """A code span long enough to hold the text's own backticks; pipes escaped inside tables
    (GFM splits cells before it reads code spans)."""
    text = one_line(text)
    if not text:
        return ""
    if table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
