"""Self-rating history, kept apart from the content in the user's data directory.

One small JSON file keyed by question id, so editing a question's text never loses its
history. Scheduling is a trimmed-down SM-2: a bad rating makes the question due again at once
and lowers its ease; good ratings push the next review further out.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grader.errors import UserError

# 1 = did not know it ... 4 = easy. Shown to the user as keys 1-4.
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}
_FORMAT_VERSION = 1


def data_dir() -> Path:
    """KATA_DATA_DIR, else $XDG_DATA_HOME/katabench, else ~/.local/share/katabench."""
    if os.environ.get("KATA_DATA_DIR"):
        return Path(os.environ["KATA_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "katabench"


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass
class Record:
    reviews: int = 0
    lapses: int = 0
    ease: float = 2.5
    interval_days: float = 0.0
    last_rating: int | None = None
    last_seen: str | None = None
    due: str | None = None

    def due_at(self) -> datetime | None:
        return datetime.fromisoformat(self.due) if self.due else None


def schedule(record: Record, rating: int, now: datetime) -> Record:
    """The record after one self-rating (SM-2 style: ease 1.3 and up, interval in days)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {sorted(RATINGS)}")
    ease, interval = record.ease, record.interval_days
    if rating == 1:
        ease, interval = max(1.3, ease - 0.2), 0.0
    elif rating == 2:
        ease, interval = max(1.3, ease - 0.15), max(1.0, interval * 1.2)
    elif rating == 3:
        interval = 1.0 if record.reviews == 0 or interval == 0 else interval * ease
    else:
        ease = ease + 0.15
        interval = 4.0 if record.reviews == 0 or interval == 0 else interval * ease * 1.3
    return Record(
        reviews=record.reviews + 1,
        lapses=record.lapses + (rating == 1),
        ease=round(ease, 3),
        interval_days=round(interval, 3),
        last_rating=rating,
        last_seen=now.isoformat(),
        due=(now + timedelta(days=interval)).isoformat(),
    )


@dataclass
class ProgressStore:
    path: Path
    records: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def open(cls, directory: Path | None = None) -> ProgressStore:
        path = (directory or data_dir()) / "progress.json"
        store = cls(path)
        if not path.exists():
            return store
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            store.records = {qid: Record(**rec) for qid, rec in raw["questions"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise UserError(
                f"cannot read progress file {path} ({error}); fix or delete it"
            ) from error
        return store

    def rate(self, question_id: str, rating: int, now: datetime | None = None) -> Record:
        record = schedule(self.records.get(question_id, Record()), rating, now or now_utc())
        self.records[question_id] = record
        return record

    def due_ids(self, candidates: list[str], now: datetime | None = None) -> list[str]:
        """Reviewed questions whose time has come: the worst-rated and most overdue first."""
        moment = now or now_utc()
        due = [
            qid for qid in candidates
            if qid in self.records and (self.records[qid].due_at() or moment) <= moment
        ]

        def urgency(qid: str) -> tuple[int, float, datetime, str]:
            rec = self.records[qid]
            return (rec.last_rating or 0, rec.ease, rec.due_at() or moment, qid)

        return sorted(due, key=urgency)

    def save(self) -> None:
        """Write atomically so an interrupted quiz never leaves half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": _FORMAT_VERSION,
            "questions": {qid: asdict(rec) for qid, rec in sorted(self.records.items())},
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2)
                handle.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
