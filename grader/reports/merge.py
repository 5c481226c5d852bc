"""`kata report merge DIR… --out DIR`: the report folders of a sharded batch as one batch's.

Each shard's summary.json holds its full scorecards and what its batch was asked (shard, kata,
seed, formats), so the merge re-renders every report from the scorecards alone, as the batch
would have, after checking that the folders are exactly the shards 1..N of one batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import UserError
from grader.reports import SUMMARY_SCHEMA, BatchRecord, make_report_folder, write_reports
from grader.scoring import Scorecard
from grader.sharding import Shard


@dataclass(frozen=True)
class ShardReport:
    """One shard's report folder, as its summary.json describes it."""

    folder: Path
    shard: Shard
    kata: str | None
    seed: int | None
    formats: tuple[str, ...]
    cards: tuple[Scorecard, ...]


@dataclass(frozen=True)
class Merged:
    shards: int
    cards: list[Scorecard]
    written: list[Path]

    def to_json(self) -> dict[str, Any]:
        return {"shards": self.shards, "submissions": len(self.cards),
                "written": [str(path) for path in self.written]}


def read_shard(folder: Path) -> ShardReport:
    """A shard's summary, or one sentence on why the folder is not a shard's reports."""
    path = folder / "summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{folder} has no summary.json: grade each shard with --out and json "
                        "among its --format") from None
    except (OSError, ValueError) as error:
        raise UserError(f"cannot read {path}: {error}") from None
    if not isinstance(data, dict) or data.get("schema") != SUMMARY_SCHEMA:
        raise UserError(f"{path} is not a {SUMMARY_SCHEMA} summary (from an older katabench, "
                        "or not katabench's)")
    batch = data["batch"]
    if batch["shard"] is None:
        raise UserError(f"{folder} holds the reports of a whole batch, not of a shard "
                        "(kata grade --shard K/N)")
    try:
        cards = tuple(Scorecard.from_json(card) for card in data["cards"])
    except (KeyError, TypeError) as error:
        raise UserError(f"{path} holds a scorecard that cannot be read ({error!r})") from None
    return ShardReport(folder, Shard.parse(batch["shard"]), batch["kata"], batch["seed"],
                       tuple(batch["formats"]), cards)


def check_set(reports: list[ShardReport]) -> None:
    """Exactly shards 1..N of one batch: one kata, one seed, each shard once."""
    counts = {report.shard.count for report in reports}
    if len(counts) > 1:
        raise UserError("these folders are shards of batches cut differently "
                        f"(into {' and '.join(str(n) for n in sorted(counts))})")
    seen: dict[int, Path] = {}
    for report in reports:
        if report.shard.index in seen:
            raise UserError(f"shard {report.shard} is given twice: {seen[report.shard.index]} "
                            f"and {report.folder}")
        seen[report.shard.index] = report.folder
    count = counts.pop()
    missing = [str(index) for index in range(1, count + 1) if index not in seen]
    if missing:
        raise UserError(f"shard {', '.join(missing)} of {count} is missing: merge all {count}")
    katas = {report.kata for report in reports if report.kata is not None}
    if len(katas) > 1:
        raise UserError(f"these shards graded different katas ({', '.join(sorted(katas))})")
    seeds = {report.seed for report in reports}
    if len(seeds) > 1:
        shown = ", ".join("drawn per submission" if seed is None else str(seed)
                          for seed in sorted(seeds, key=lambda seed: (seed is not None, seed)))
        raise UserError(f"these shards graded with different seeds ({shown}): grade every "
                        "shard with the same --seed")


def merge_reports(folders: list[Path], out: Path) -> Merged:
    """Check the shards, then write one batch's reports into `out`, in every format any shard
    wrote (json always: a shard has a summary.json)."""
    if out.resolve() in {folder.resolve() for folder in folders}:
        raise UserError(f"--out {out} is one of the shards' folders: merge into another")
    reports = [read_shard(folder) for folder in folders]
    check_set(reports)
    make_report_folder(out)
    cards = [card for report in reports for card in report.cards]
    formats = list(dict.fromkeys(fmt for report in reports for fmt in report.formats))
    kata = next((report.kata for report in reports if report.kata is not None), None)
    record = BatchRecord(shard=None, kata=kata, seed=reports[0].seed)
    return Merged(len(reports), cards, write_reports(cards, out, formats, record))
