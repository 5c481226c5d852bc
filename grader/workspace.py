"""What a workspace is: a folder holding a kata's layout, marked by `.kata/workspace.json`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from grader.errors import UserError
from grader.kata import Kata, load_kata

MARKER = Path(".kata") / "workspace.json"


@dataclass(frozen=True)
class Workspace:
    path: Path
    kata_id: str
    layout: str
    db: str = "sqlite"
    started_at: str | None = None
    hints: bool = True  # an interviewer may hand a workspace out with hints off

    def started(self) -> datetime | None:
        return datetime.fromisoformat(self.started_at) if self.started_at else None


def write_marker(path: Path, kata: Kata, *, layout: str, db: str,
                 hints: bool = True) -> Workspace:
    workspace = Workspace(path=path, kata_id=kata.id, layout=layout, db=db,
                          started_at=datetime.now(UTC).isoformat(timespec="seconds"),
                          hints=hints)
    marker = path / MARKER
    marker.parent.mkdir(exist_ok=True)
    data = {k: v for k, v in asdict(workspace).items() if k != "path"}
    marker.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return workspace


def _read_marker(path: Path) -> dict[str, str] | None:
    marker = path / MARKER
    if not marker.is_file() or marker.is_symlink():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UserError(f"{MARKER} in {path} is unreadable; delete it or pass --kata") from None
    if not isinstance(data, dict) or not isinstance(data.get("kata_id"), str):
        raise UserError(f"{MARKER} in {path} does not name a kata; delete it or pass --kata")
    return data


def resolve_workspace(path: Path, kata_id: str | None = None) -> tuple[Kata, Workspace]:
    """Find the kata and layout of a folder; the marker says the kata, the files say the layout."""
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if not path.is_dir():
        raise UserError(f"{path} is not a folder")
    marker = _read_marker(path)
    if marker and kata_id and marker["kata_id"] != kata_id:
        raise UserError(f"{path} is a workspace of kata {marker['kata_id']!r}, not {kata_id!r}")
    chosen = kata_id or (marker["kata_id"] if marker else None)
    if chosen is None:
        raise UserError(f"{path} is not a kata workspace (no {MARKER}); pass --kata to grade it")
    kata = load_kata(chosen)
    # The marker's layout wins, so a workspace that lost a file (tasks.py, say) is still graded.
    declared = marker.get("layout") if marker else None
    layout = declared if declared in kata.layouts else kata.detect_layout(path)
    if layout is None:
        expected = "; ".join(
            f"{name}: {', '.join(lay.detect)}" for name, lay in kata.layouts.items())
        raise UserError(f"{path} does not look like a {kata.id} workspace (expected {expected})")
    marker = marker or {}
    return kata, Workspace(path=path, kata_id=kata.id, layout=layout,
                           db=marker.get("db", "sqlite"), started_at=marker.get("started_at"),
                           hints=marker.get("hints", True) is not False)
