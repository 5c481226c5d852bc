"""Markdown scorecards: readable as plain text, and safe when a repo host or editor renders them.

Reasons and errors are candidate-controlled, so they go in code spans (no HTML, no formatting
is interpreted there); other text is backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.interview.card import minutes
from grader.reports.common import (
    MANUAL,
    Entry,
    card_miss,
    checks_passed,
    counts,
    first_miss,
    interview_notes,
    interviewed,
    item_icon,
    mean_cell,
    one_line,
    points,
    rated_sections,
    rating_cell,
    summary_title,
)
from grader.scoring import Scorecard

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")


def card_markdown(card: Scorecard) -> str:
    lines = [f"# {_escape(card.title)}: {_escape(card.submission)}", "",
             f"**Score: {points(card.score)} / {points(card.max_score)}** · {card.status}", ""]
    if total := card.total_summary():
        lines += [f"**Total: {_escape(total)}**", ""]
    if card.error:
        lines += [f"**Not graded:** {_code(card.error)}", ""]
    lines += ["| | Item | Points | Checks | First miss |", "|:-:|---|--:|:-:|---|"]
    for item in card.items:
        label = f"{_escape(item.text)} ({_code(item.id, table=True)})"
        if item.tier:
            label += f" · {_escape(card.tier_titles.get(item.tier, item.tier))}"
        if item.mode == "manual":
            shown = MANUAL if item.rated is None else \
                f"{points(item.earned)} / {points(item.points)}"
            rating = f" {_escape(item.rated.summary())}" if item.rated else ""
            lines.append(f"| {item_icon(item)} | {label} | {shown} | |{rating} |")
            continue
        lines.append(f"| {item_icon(item)} | {label} | {points(item.earned)} / "
                     f"{points(item.points)} | {checks_passed(item)} | "
                     f"{_code(first_miss(item, card.error), table=True)} |")
    lines += ["", *(f"- {key}: {_escape(value)}" for key, value in _facts(card))]
    if card.notes:
        lines += ["", "Notes:", *(f"- {_escape(one_line(note))}" for note in card.notes)]
    return "\n".join(lines + _interview(card)) + "\n"


def _interview(card: Scorecard) -> list[str]:
    """The sessions' part: verdicts, every rating by interviewer, the notes, the block times."""
    interview = card.interview
    if interview is None:
        return []
    people = [_escape(name) for name in interview.interviewers]
    lines = ["", f"## Interview: {_escape(interview.candidate)}", "",
             "| Interviewer | Recommendation | Reason | Time | Finished |", "|---|---|---|--:|---|"]
    lines += [f"| {_escape(v.interviewer)} | {_escape(v.recommendation or 'none yet')} | "
              f"{_escape(v.reason)} | {minutes(v.elapsed_seconds)} | "
              f"{'yes' if v.finished else 'no'} |" for v in interview.verdicts]
    for _, heading, rows in rated_sections(card):
        lines += ["", f"### {heading}", "", f"| Rated | {' | '.join(people)} | Mean | Spread | |",
                  f"|---|{'--:|' * len(people)}--:|--:|---|"]
        lines += [f"| {_escape(r.text) + ' ' if r.text != r.id else ''}"
                  f"{_code(r.id, table=True)} | "
                  f"{' | '.join(rating_cell(g.rating) for g in r.given)} | {mean_cell(r)} | "
                  f"{'' if r.spread is None else r.spread} | "
                  f"{'⚑ calibrate' if r.calibrate else ''} |" for r in rows]
    if notes := interview_notes(card):
        lines += ["", "### Notes", "", *(f"- {_code(what)} · {_escape(who)}: {_escape(note)}"
                                          for what, who, note in notes)]
    if blocks := interview.blocks():
        lines += ["", "### Times", "", f"| Block | Planned | {' | '.join(people)} |",
                  f"|---|--:|{'--:|' * len(people)}"]
        lines += [f"| {_escape(block.title)} | {block.planned_minutes} min | "
                  f"{' | '.join(minutes(s) for s in spent)} |" for block, spent in blocks]
    return lines


def summary_markdown(entries: Sequence[Entry]) -> str:
    cards = [entry.card for entry in entries]
    tally = counts(cards)
    lines = [f"# {_escape(summary_title(cards))}", "",
             " · ".join(f"{key.replace('_', ' ')}: {value}" for key, value in tally.items())
             .capitalize(), ""]
    tiered = any(card.tier_titles for card in cards)
    joined = interviewed(cards)
    columns = ["#", "Submission", "Score", *(["Total", "Recommendations"] if joined else []),
               *(["Tiers"] if tiered else []), "Status", "First miss", "Hints"]
    lines += [f"| {' | '.join(columns)} |",
              "|" + "|".join("--:" if c in ("#", "Score", "Total") else "---" for c in columns)
              + "|"]
    for entry in entries:
        card = entry.card
        link = f"[{_escape(card.submission)}]({entry.name}.md)"
        tiers = f" {_escape(card.tiers_summary() or '')} |" if tiered else ""
        extra = (f" {points(card.total)} / {points(card.total_max)} | "
                 f"{_escape(card.interview.recommendations() if card.interview else '')} |"
                 if joined else "")
        lines.append(f"| {entry.rank} | {link} | {points(card.score)} / "
                     f"{points(card.max_score)} |{extra}{tiers} {card.status} | "
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
