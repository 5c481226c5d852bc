"""The summary as CSV, for a spreadsheet: a row per submission, a column per checklist item."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from grader.reports.common import points, printable
from grader.scoring import Scorecard

BASE_COLUMNS = ("submission", "score", "max", "status", "seed", "stack", "error", "hints_used")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def summary_csv(cards: Sequence[Scorecard]) -> str:
    """Cards in the order given (ranked); item columns in checklist order, the union over all
    katas in the batch. Manual items' cells stay empty: the interviewer fills them in."""
    items = list(dict.fromkeys(item.id for card in cards for item in card.items))
    tiers = list(dict.fromkeys(tier for card in cards for tier in card.tier_titles))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*BASE_COLUMNS, *(f"tier:{tier}" for tier in tiers), *items])
    for card in cards:
        earned = {item.id: "" if item.mode == "manual" else points(item.earned)
                  for item in card.items}
        subtotal = {tier.id: points(tier.score) for tier in card.tiers}
        writer.writerow([_cell(card.submission), points(card.score), points(card.max_score),
                         card.status, "" if card.seed is None else card.seed,
                         card.stack["id"] if card.stack else "", _cell(card.error or ""),
                         _cell(card.hints_summary() or ""),
                         *(subtotal.get(tier, "") for tier in tiers),
                         *(earned.get(item, "") for item in items)])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Errors can carry candidate output: control characters are replaced, and text a
    spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV advice)."""
    text = printable(text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
