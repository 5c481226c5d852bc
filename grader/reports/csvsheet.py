"""The summary as CSV, for a spreadsheet: a row per submission, a column per checklist item.

With sessions joined, the summary adds the total, its manual part and the recommendations, and
ratings.csv holds every rating, note, verdict and block time, a row each (long form, for a
pivot table).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from grader.reports.common import interviewed, points, printable, rated_sections
from grader.scoring import Scorecard

BASE_COLUMNS = ("submission", "score", "max", "status", "seed", "stack", "error", "hints_used")
INTERVIEW_COLUMNS = ("total", "total_max", "manual", "manual_max", "unrated", "recommendations",
                     "calibrate")
RATINGS_COLUMNS = ("submission", "interviewer", "kind", "id", "text", "rating", "note",
                   "planned_minutes", "spent_seconds")
_KINDS = {"items": "item", "questions": "question", "areas": "area"}  # rated_sections' ids
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def summary_csv(cards: Sequence[Scorecard]) -> str:
    """Cards in the order given (ranked); item columns in checklist order, the union over all
    katas in the batch. Manual items' cells stay empty until an interviewer rates them."""
    items = list(dict.fromkeys(item.id for card in cards for item in card.items))
    tiers = list(dict.fromkeys(tier for card in cards for tier in card.tier_titles))
    joined = interviewed(cards)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*BASE_COLUMNS, *(INTERVIEW_COLUMNS if joined else ()),
                     *(f"tier:{tier}" for tier in tiers), *items])
    for card in cards:
        earned = {item.id: "" if item.mode == "manual" and item.rated is None
                  else points(item.earned) for item in card.items}
        subtotal = {tier.id: points(tier.score) for tier in card.tiers}
        writer.writerow([_cell(card.submission), points(card.score), points(card.max_score),
                         card.status, "" if card.seed is None else card.seed,
                         card.stack["id"] if card.stack else "", _cell(card.error or ""),
                         _cell(card.hints_summary() or ""),
                         *(_interview_cells(card) if joined else ()),
                         *(subtotal.get(tier, "") for tier in tiers),
                         *(earned.get(item, "") for item in items)])
    return buffer.getvalue()


def _interview_cells(card: Scorecard) -> list[str]:
    if card.interview is None:
        return ["", "", "", "", "", "", ""]
    return [points(card.total), points(card.total_max), points(card.manual_score),
            points(card.manual_max), " ".join(card.unrated),
            _cell(card.interview.recommendations()),
            " ".join(rated.id for rated in card.calibrations())]


def ratings_csv(cards: Sequence[Scorecard]) -> str:
    """Every interviewer's rating and note of each item, question and area, their
    recommendation (kind `recommendation`: the rating column holds it, the note its reason)
    and their time in each block of the plan."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RATINGS_COLUMNS)
    for card in cards:
        if card.interview is None:
            continue
        who = _cell(card.submission)
        for verdict in card.interview.verdicts:
            writer.writerow([who, _cell(verdict.interviewer), "recommendation", "", "",
                             verdict.recommendation or "", _cell(verdict.reason), "",
                             round(verdict.elapsed_seconds, 1)])
        for kind, _, rows in rated_sections(card):
            for rated in rows:
                for given in rated.given:
                    if given.rating is None and not given.note:
                        continue  # the summary's `unrated` says so
                    writer.writerow([who, _cell(given.interviewer), _KINDS[kind],
                                     _cell(rated.id), _cell(rated.text),
                                     "" if given.rating is None else given.rating,
                                     _cell(given.note), "", ""])
        for verdict in card.interview.verdicts:
            for block in verdict.blocks:
                writer.writerow([who, _cell(verdict.interviewer), "block", _cell(block.id),
                                 _cell(block.title), "", "", block.planned_minutes,
                                 round(block.spent_seconds, 1)])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Errors can carry candidate output: control characters are replaced, and text a
    spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV advice)."""
    text = printable(text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
