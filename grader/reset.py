"""`kata reset`: put starter files back without ever losing the candidate's work.

Whatever a reset or a restore replaces goes first to `.kata/backups/<stamp>/` (relative paths
kept), so every step can be undone; a file the starter does not have is the candidate's own and
is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grader.errors import UserError
from grader.progress import worked_files
from grader.scaffold import overlay, render_starter
from grader.workspace import MARKER, resolve_workspace

BACKUPS = MARKER.parent / "backups"


@dataclass
class Change:
    """What one reset or restore did."""

    stamp: str | None  # the backup holding what it replaced; None when nothing was replaced
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)  # the candidate's own files, in scope

    def to_json(self) -> dict[str, object]:
        return {"backup": self.stamp, "restored": self.restored, "unchanged": self.unchanged,
                "left_alone": self.left_alone}


@dataclass(frozen=True)
class Backup:
    stamp: str
    files: list[str]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@contextmanager
def rendered(workspace: Path, *, solution: bool = False) -> Iterator[Path]:
    """The workspace's starter as `kata start` rendered it (same kata, database and folder
    name), with the reference solution on top when asked, in a scratch folder."""
    kata, space = resolve_workspace(workspace)
    with tempfile.TemporaryDirectory(prefix="kata-starter-") as scratch:
        target = Path(scratch) / workspace.resolve().name
        render_starter(kata, target, space.db)
        if solution:
            overlay(kata.solution_dir, target)
        yield target


def _starter(workspace: Path) -> dict[str, bytes]:
    with rendered(workspace) as starter:
        return {path.relative_to(starter).as_posix(): path.read_bytes()
                for path in sorted(starter.rglob("*")) if path.is_file()}


def _scope(workspace: Path, starter: dict[str, bytes], paths: list[str]) -> list[str]:
    """The given paths relative to the workspace ("" for all of it), each naming starter files."""
    root = workspace.resolve()
    scopes = []
    for given in paths or ["."]:
        target = (workspace / given).resolve()
        if not target.is_relative_to(root):
            raise UserError(f"{given} is outside the workspace {workspace}")
        relative = "" if target == root else target.relative_to(root).as_posix()
        if not any(_within(name, relative) for name in starter):
            raise UserError(f"{given} is not a starter file of this workspace: nothing to reset")
        scopes.append(relative)
    return scopes


def _within(name: str, scope: str) -> bool:
    return not scope or name == scope or name.startswith(scope + "/")


def _new_stamp(workspace: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix, candidate = 1, stamp
    while (workspace / BACKUPS / candidate).exists():
        suffix += 1
        candidate = f"{stamp}-{suffix}"
    return candidate


def _replace(workspace: Path, contents: dict[str, bytes]) -> Change:
    """Write `contents` (relative path: bytes), backing up first whatever differs."""
    if folder := next((name for name in contents if (workspace / name).is_dir()), None):
        raise UserError(f"{folder} is a folder in the workspace where a file goes back: "
                        "move it away first")
    differing = sorted(name for name, data in contents.items()
                       if (workspace / name).is_symlink() or not (workspace / name).is_file()
                       or (workspace / name).read_bytes() != data)
    change = Change(stamp=None, unchanged=sorted(set(contents) - set(differing)))
    existing = [name for name in differing
                if (workspace / name).exists() or (workspace / name).is_symlink()]
    try:
        if existing:
            change.stamp = _new_stamp(workspace)
            for name in existing:
                backup = workspace / BACKUPS / change.stamp / name
                backup.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(workspace / name, backup, follow_symlinks=False)
        for name in differing:
            target = workspace / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():  # never write through a link to somewhere else
                target.unlink()
            target.write_bytes(contents[name])
            change.restored.append(name)
    except OSError as error:
        raise UserError(f"cannot write in {workspace}: {error.strerror} ({error.filename})"
                        ) from None
    return change


def reset(workspace: Path, paths: list[str]) -> Change:
    """Put the starter's version of `paths` (files or folders; all when empty) back."""
    starter = _starter(workspace)
    scopes = _scope(workspace, starter, paths)
    chosen = {name: data for name, data in starter.items()
              if any(_within(name, scope) for scope in scopes)}
    change = _replace(workspace, chosen)
    change.left_alone = sorted(
        name for name in (path.relative_to(workspace).as_posix()
                          for path in worked_files(workspace))
        if name not in starter and any(_within(name, scope) for scope in scopes))
    return change


def backups(workspace: Path) -> list[Backup]:
    """Each backup's stamp and the files it holds, oldest first."""
    resolve_workspace(workspace)
    folder = workspace / BACKUPS
    if not folder.is_dir():
        return []
    return [Backup(stamp.name, sorted(p.relative_to(stamp).as_posix() for p in stamp.rglob("*")
                                      if p.is_file()))
            for stamp in sorted(folder.iterdir()) if stamp.is_dir()]


def restore(workspace: Path, stamp: str) -> Change:
    """Put a backup's files back; what they replace is backed up in turn."""
    known = {backup.stamp: backup.files for backup in backups(workspace)}
    if stamp not in known:
        listed = ", ".join(known) or "none"
        raise UserError(f"no backup {stamp!r} in {workspace} (backups: {listed})")
    folder = workspace / BACKUPS / stamp
    return _replace(workspace, {name: (folder / name).read_bytes() for name in known[stamp]})
