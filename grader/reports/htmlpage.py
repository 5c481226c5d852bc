"""Self-contained HTML pages an interviewer opens from disk: inline CSS, no script, no network.

Reasons are candidate-controlled, so autoescaping is on for every template and a Content
Security Policy forbids scripts as a second line of defence. Jinja2 is imported on first use
only, to keep it off the CLI's start-up path.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

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
    item_label,
    mean_cell,
    points,
    printable,
    rated_sections,
    rating_cell,
    summary_title,
)
from grader.scoring import ItemScore, Scorecard


def card_page(card: Scorecard) -> str:
    return _template("scorecard.html.jinja").render(
        card=card, facts=_facts(card), sections=rated_sections(card),
        interview_notes=interview_notes(card))


def summary_page(entries: Sequence[Entry]) -> str:
    cards = [entry.card for entry in entries]
    columns: dict[str, str] = {}
    for card in cards:
        for item in card.items:
            if item.mode == "auto":
                columns.setdefault(item.id, item.text)
    rows = [{"entry": entry, "miss": card_miss(entry.card),
             "cells": [next((i for i in entry.card.items if i.id == column), None)
                       for column in columns]}
            for entry in entries]
    return _template("summary.html.jinja").render(
        title=summary_title(cards), counts=counts(cards), columns=columns, rows=rows,
        tiered=any(card.tier_titles for card in cards), joined=interviewed(cards))


def percent(earned: float, total: float) -> float:
    return round(100 * earned / total, 1) if total else 0.0


def tone(item: ItemScore | None) -> str:
    """CSS class for an item's result: full, partial, zero or none (not judged yet)."""
    if item is None or (item.mode == "manual" and not (item.rated and item.rated.ratings)):
        return "none"
    if item.rated is not None:  # by its ratings: a manual item may carry no points
        share = item.rated.fraction
        return "full" if share >= 1 else "partial" if share > 0 else "zero"
    if item.points and item.earned >= item.points:
        return "full"
    return "partial" if item.earned > 0 else "zero"


def _facts(card: Scorecard) -> list[tuple[str, str]]:
    planned = card.planned_minutes
    durations = " · ".join(f"{key} {value:.1f} s" for key, value in card.durations.items())
    facts = [("Seed", card.seed), ("Database", card.database), ("Layout", card.layout),
             ("Isolation", ", ".join(card.isolation) or None), ("Stack", card.stack_summary()),
             ("Started", card.started_at), ("Hints", card.hints_summary()),
             ("Tiers", card.tiers_summary()),
             ("Planned", f"{planned[0]}–{planned[1]} min" if planned else None),
             ("Durations", durations or None), ("Content hash", card.content_hash)]
    return [(key, str(value)) for key, value in facts if value is not None]


def render_page(name: str, **context: Any) -> str:
    """Any page in this package's templates, with the same escaping and policy."""
    return _template(name).render(**context)


def _template(name: str) -> Any:
    return _environment().get_template(name)


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("grader.reports", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
        finalize=lambda value: printable(value) if isinstance(value, str) else value)
    env.filters["points"] = points
    env.globals.update(MANUAL=MANUAL, checks_passed=checks_passed, first_miss=first_miss,
                       icon=item_icon, label=item_label, percent=percent, tone=tone,
                       minutes=minutes, rating_cell=rating_cell, mean_cell=mean_cell)
    return env
