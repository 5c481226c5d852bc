"""`kata reset`: put starter files back without ever losing the candidate's work.

Whatever a reset or a restore replaces goes first to `.kata/backups/<stamp>/` (relative paths
kept), so every step can be undone; a file the starter does not have is the candidate's own and
is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grader.errors import UserError
from grader.scaffold import render_starter
from grader.workspace import MARKER, resolve_workspace

BACKUPS = MARKER.parent / "backups"


@dataclass
class Change:
    """What one reset or restore did."""

    stamp: str | None  # the backup holding what it replaced; None when nothing was replaced
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"backup": self.stamp, "restored": self.restored, "unchanged": self.unchanged}


def _starter(workspace: Path) -> dict[str, bytes]:
    kata, space = resolve_workspace(workspace)
    with tempfile.TemporaryDirectory(prefix="kata-reset-") as scratch:
        render_starter(kata, Path(scratch), space.db)
        return {path.relative_to(scratch).as_posix(): path.read_bytes()
                for path in sorted(Path(scratch).rglob("*")) if path.is_file()}


def _chosen(workspace: Path, starter: dict[str, bytes], paths: list[str]) -> list[str]:
    if not paths:
        return list(starter)
    chosen = []
    for given in paths:
        target = (workspace / given).resolve()
        if not target.is_relative_to(workspace.resolve()):
            raise UserError(f"{given} is outside the workspace {workspace}")
        relative = target.relative_to(workspace.resolve()).as_posix()
        matching = [name for name in starter if name == relative or
                    name.startswith(relative.rstrip("/") + "/")]
        if not matching:
            raise UserError(f"{given} is not a starter file of this workspace: nothing to reset")
        chosen += [name for name in matching if name not in chosen]
    return chosen


def _new_stamp(workspace: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix, candidate = 1, stamp
    while (workspace / BACKUPS / candidate).exists():
        suffix += 1
        candidate = f"{stamp}-{suffix}"
    return candidate


def _replace(workspace: Path, contents: dict[str, bytes]) -> Change:
    """Write `contents` (relative path: bytes), backing up first whatever differs."""
    differing = [name for name, data in contents.items()
                 if not (workspace / name).is_file() or (workspace / name).read_bytes() != data]
    change = Change(stamp=None, unchanged=sorted(set(contents) - set(differing)))
    existing = [name for name in differing if (workspace / name).exists()]
    if existing:
        change.stamp = _new_stamp(workspace)
        for name in existing:
            backup = workspace / BACKUPS / change.stamp / name
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(workspace / name, backup)
    for name in differing:
        target = workspace / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[name])
        change.restored.append(name)
    return change


def reset(workspace: Path, paths: list[str]) -> Change:
    """Put the starter's version of `paths` (all starter files when empty) back."""
    starter = _starter(workspace)
    return _replace(workspace, {name: starter[name] for name in _chosen(workspace, starter,
                                                                         paths)})


def backups(workspace: Path) -> dict[str, list[str]]:
    """Each backup's stamp and the files it holds, oldest first."""
    resolve_workspace(workspace)
    folder = workspace / BACKUPS
    if not folder.is_dir():
        return {}
    return {stamp.name: sorted(p.relative_to(stamp).as_posix() for p in stamp.rglob("*")
                               if p.is_file())
            for stamp in sorted(folder.iterdir()) if stamp.is_dir()}


def restore(workspace: Path, stamp: str) -> Change:
    """Put a backup's files back; what they replace is backed up in turn."""
    known = backups(workspace)
    if stamp not in known:
        listed = ", ".join(known) or "none"
        raise UserError(f"no backup {stamp!r} in {workspace} (backups: {listed})")
    folder = workspace / BACKUPS / stamp
    return _replace(workspace, {name: (folder / name).read_bytes() for name in known[stamp]})
