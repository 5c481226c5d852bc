"""Report files for `kata grade --out`: one scorecard per submission per format, and a summary.

Every writer renders from `Scorecard` alone, so resumed cards (read back from JSON) and fresh
ones come out the same; every file lands atomically, so an interrupted batch never leaves a
half-written report that `--resume` or an interviewer would trust.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from grader.errors import UserError
from grader.reports.atomic import sync_folder, write_atomic
from grader.reports.common import Entry, counts, interviewed, ranked
from grader.scoring import Scorecard

__all__ = ["FORMATS", "SUMMARY_SCHEMA", "BatchRecord", "make_report_folder", "parse_formats",
           "scorecard_name", "submission_stem", "write_reports"]

FORMATS: tuple[str, ...] = ("json", "junit", "md", "html", "csv")
SUMMARY_SCHEMA = "katabench.summary/2"  # 2: batch
_SUFFIXES = {"json": ".json", "junit": ".junit.xml", "md": ".md", "html": ".html",
             "csv": ".csv"}
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
_UNSAFE = re.compile(r"[^a-z0-9]+")
_NAME_LIMIT = 48


@dataclass(frozen=True)
class BatchRecord:
    """What a batch was asked, kept in summary.json so `kata report merge` can tell whether
    shards' reports belong together: the shard ("2/3", None for a whole batch), the kata
    (`--kata`, else the one kata of its cards) and the seed (None: drawn per submission).
    The summary adds the report formats written."""

    shard: str | None = None
    kata: str | None = None
    seed: int | None = None


def parse_formats(text: str) -> list[str]:
    """"json, JUnit,json" -> ["json", "junit"]: order kept, repeats dropped."""
    chosen: list[str] = []
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise UserError(f"unknown report format '{raw.strip()}' "
                            f"(choose from {', '.join(FORMATS)})")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise UserError(f"no report format given (choose from {', '.join(FORMATS)})")
    return chosen


def make_report_folder(out: Path) -> None:
    """--out as a folder, or one sentence on why it cannot be one."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot make the report folder {out}: {error.strerror}") from None


def scorecard_name(card: Scorecard) -> str:
    """"<slug of the submission's basename>-<content hash>": stable across runs, safe on any
    filesystem (lowercase ASCII, digits and dashes; no dots, so no clash with suffixes)."""
    stem = submission_stem(card.submission)
    lowered = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    slug = _UNSAFE.sub("-", lowered).strip("-")[:_NAME_LIMIT].rstrip("-") or "submission"
    digest = card.content_hash or hashlib.sha256(card.submission.encode()).hexdigest()[:16]
    return f"{slug}-{_UNSAFE.sub('', digest.lower())[:16] or 'nohash'}"


def submission_stem(submission: str) -> str:
    """"inbox/Alice.zip" -> "Alice": a submission's own name, its archive suffix dropped."""
    base = submission.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for suffix in _ARCHIVE_SUFFIXES:
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base


def write_reports(cards: list[Scorecard], out: Path, formats: Sequence[str],
                  batch: BatchRecord | None = None) -> list[Path]:
    """One scorecard per submission per format plus a summary ranked by total; returns written
    paths (per-submission files in ranking order, then the summaries). CSV is summary-only,
    plus ratings.csv when sessions were joined.
    `batch` (None: a whole batch of no kata or seed given) goes into summary.json."""
    from grader.reports import csvsheet, htmlpage, junit, markdown

    chosen = parse_formats(",".join(formats))
    out.mkdir(parents=True, exist_ok=True)
    order = ranked(cards)
    entries = [Entry(_rank(card, order), name, card)
               for card, name in zip(order, _unique_names(order), strict=True)]
    per_card: dict[str, Callable[[Scorecard], str | bytes]] = {
        "json": lambda card: _json(card.to_json()), "junit": junit.card_xml,
        "md": markdown.card_markdown, "html": htmlpage.card_page}
    summary: dict[str, Callable[[], str | bytes]] = {
        "json": lambda: _json(_summary_json(entries, batch or BatchRecord(), chosen)),
        "junit": lambda: junit.summary_xml(entries),
        "md": lambda: markdown.summary_markdown(entries),
        "html": lambda: htmlpage.summary_page(entries),
        "csv": lambda: csvsheet.summary_csv(order)}
    written = [write_atomic(out / f"{entry.name}{_SUFFIXES[fmt]}", per_card[fmt](entry.card))
               for entry in entries for fmt in chosen if fmt in per_card]
    written += [write_atomic(out / f"summary{_SUFFIXES[fmt]}", summary[fmt]()) for fmt in chosen]
    if "csv" in chosen and interviewed(cards):
        written.append(write_atomic(out / "ratings.csv", csvsheet.ratings_csv(order)))
    sync_folder(out)
    return written


def _rank(card: Scorecard, order: Sequence[Scorecard]) -> int:
    """Equal totals share a rank (1, 1, 3): a tie is a tie, whatever the submission's name."""
    return 1 + sum(other.total > card.total for other in order)


def _unique_names(cards: Sequence[Scorecard]) -> list[str]:
    """Same basename and same content twice: later ones (by submission path) get -2, -3."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for index in sorted(range(len(cards)), key=lambda i: cards[i].submission):
        base = name = scorecard_name(cards[index])
        number = 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names[index] = name
    return [names[index] for index in range(len(cards))]


def _summary_json(entries: Sequence[Entry], batch: BatchRecord,
                  formats: Sequence[str]) -> dict[str, Any]:
    """Ranked cards, each the full versioned scorecard plus its rank and file base name. No
    top-level content_hash: `--resume` must never take the summary for a scorecard."""
    return {
        "schema": SUMMARY_SCHEMA,
        "batch": {**asdict(batch), "formats": list(formats)},
        "counts": counts([entry.card for entry in entries]),
        "cards": [{**entry.card.to_json(), "rank": entry.rank, "report": entry.name}
                  for entry in entries],
    }


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
