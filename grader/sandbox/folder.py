"""A submission's private copy: regular files only, size-capped, archives unpacked safely.

Nothing runs in the original folder; candidate processes only ever see this copy, owned by the
sandbox uid inside a folder only the grader can list.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from grader.errors import UserError

MAX_FILES = 2_000
MAX_BYTES = 50 << 20
SKIP_DIRS = {".git", "__pycache__", ".venv", "venv", "node_modules", ".pytest_cache", ".mypy_cache"}
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")


def shown(path: Path | str) -> str:
    """A path as a note shows it: file names need not be UTF-8 (b"caf\\xe9"), and a note must
    print on any terminal and stay valid in the JSON scorecard, so odd bytes become escapes."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def is_archive(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(ARCHIVE_SUFFIXES)


@dataclass
class SandboxFolder:
    """root/ws (the workspace copy), root/run (sockets, database), root/home (HOME, TMPDIR)."""

    root: Path
    notes: list[str] = field(default_factory=list)

    @property
    def workspace(self) -> Path:
        return self.root / "ws"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def home(self) -> Path:
        return self.root / "home"

    disk_bytes: int | None = None  # the size of the tmpfs it lives on, if it has one

    @classmethod
    def create(cls, disk_bytes: int | None = None) -> SandboxFolder:
        """With `disk_bytes`, as root: on a tmpfs of that size, so that everything the
        submission writes counts against one total, not only against the limit per file."""
        root = Path(tempfile.mkdtemp(prefix="kata-sb-"))
        if disk_bytes and os.geteuid() == 0:
            from grader.sandbox.isolate import mount_tmpfs

            mount_tmpfs(str(root), disk_bytes)
        else:
            disk_bytes = None
        os.chmod(root, 0o711)  # others may pass through to their own files, never list
        for sub in ("ws", "run", "home", "home/tmp"):
            (root / sub).mkdir()
        return cls(root, disk_bytes=disk_bytes)

    def disk_full(self) -> bool:
        """Whether the submission's writes reached its disk cap (less than 1 MiB left)."""
        if self.disk_bytes is None:
            return False
        info = os.statvfs(self.root)
        return info.f_bavail * info.f_frsize < 1 << 20

    def give_to(self, uid: int | None) -> None:
        """Hand the copy to the sandbox uid; the root folder itself stays the grader's."""
        if uid is None:
            return
        for sub in ("ws", "run", "home"):
            for folder, dirs, files in os.walk(self.root / sub):
                os.chown(folder, uid, uid)
                for name in dirs + files:
                    os.lchown(os.path.join(folder, name), uid, uid)

    def remove(self) -> None:
        from grader.sandbox.isolate import remove_sandbox

        remove_sandbox(str(self.root))


class _Budget:
    def __init__(self, source: str) -> None:
        self.source, self.files, self.bytes = source, 0, 0

    def take(self, size: int) -> None:
        self.files += 1
        self.bytes += size
        if self.files > MAX_FILES:
            raise UserError(f"{self.source} has more than {MAX_FILES} files")
        if self.bytes > MAX_BYTES:
            raise UserError(f"{self.source} is larger than {MAX_BYTES >> 20} MiB")


def regular_files(source: Path, notes: list[str]) -> Iterator[tuple[Path, Path, int]]:
    """(relative, absolute, size) of every regular file; links and special files are noted."""
    for folder, dirs, files in os.walk(source, followlinks=False):
        relative = Path(folder).relative_to(source)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _noted_link(
            Path(folder, d), relative / d, notes))
        for name in sorted(files):
            path = Path(folder, name)
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                yield relative / name, path, info.st_size
            else:
                kind = "symlink" if stat.S_ISLNK(info.st_mode) else "special file"
                notes.append(f"skipped {kind} {shown(relative / name)}")


def copy_tree(source: Path, target: Path, notes: list[str]) -> None:
    """Copy regular files and folders, never following a link out of the submission."""
    budget = _Budget(str(source))
    target.mkdir(parents=True, exist_ok=True)
    for relative, path, size in regular_files(source, notes):
        budget.take(size)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative, follow_symlinks=False)


def source_hash(source: Path) -> str:
    """What --resume recognises a submission by: its archive's bytes, or its files' paths and
    bytes as they would be copied (the workspace marker, which holds a start time, aside)."""
    digest = hashlib.sha256()
    if source.is_file():
        with open(source, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    else:
        for relative, path, _ in regular_files(source, []):
            if relative.parts[:1] != (".kata",):
                # fsencode: a file name need not be UTF-8 (a name in latin-1 must not crash)
                digest.update(os.fsencode(relative.as_posix()) + b"\0" + path.read_bytes()
                              + b"\0")
    return digest.hexdigest()[:16]


def _noted_link(path: Path, relative: Path, notes: list[str]) -> bool:
    if path.is_symlink():
        notes.append(f"skipped symlink {shown(relative)}")
        return True
    return False


def _safe_member(name: str, archive: Path) -> PurePosixPath:
    member = PurePosixPath(name.replace("\\", "/"))
    if member.is_absolute() or ".." in member.parts or name.startswith(("/", "\\")):
        raise UserError(f"{archive.name}: entry {name!r} escapes the archive; rejected")
    return member


def _entries(archive: Path) -> Iterator[tuple[str, str, int, Callable[[], IO[bytes]]]]:
    """(name, kind, size, open) for every entry, whichever the archive format."""
    if archive.name.lower().endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            for entry in bundle.infolist():
                kind = "dir" if entry.is_dir() else (
                    "symlink" if stat.S_ISLNK(entry.external_attr >> 16) else "file")
                yield entry.filename, kind, entry.file_size, partial(bundle.open, entry)
        return
    with tarfile.open(archive) as bundle:
        for entry in bundle.getmembers():
            kind = ("dir" if entry.isdir() else "file" if entry.isfile()
                    else "link" if entry.issym() or entry.islnk() else "special file")
            yield entry.name, kind, entry.size, partial(bundle.extractfile, entry)


def archive_files(archive: Path) -> Iterator[tuple[PurePosixPath, int, Callable[[], IO[bytes]]]]:
    """(name, size, open) of an archive's regular files, for reading without unpacking; an entry
    that would escape the archive, or an unreadable archive, is a UserError as in `unpack`."""
    try:
        for name, kind, size, open_entry in _entries(archive):
            member = _safe_member(name, archive)
            if kind == "file":
                yield member, size, open_entry
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as error:
        raise UserError(f"{archive.name} is not a readable archive ({error})") from None


def unpack(archive: Path, target: Path, notes: list[str]) -> None:
    """Unpack a .zip or .tar(.gz) with the copy's rules: regular files only, no escaping paths."""
    budget = _Budget(archive.name)
    try:
        for name, kind, size, open_entry in _entries(archive):
            member = _safe_member(name, archive)
            if kind != "file":
                if kind != "dir":
                    notes.append(f"skipped {kind} {shown(member)}")
                continue
            budget.take(size)
            destination = target / member
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open_entry() as src, open(destination, "wb") as dst:
                shutil.copyfileobj(src, dst)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as error:
        raise UserError(f"{archive.name} is not a readable archive ({error})") from None
    _lift_single_folder(target)


def _lift_single_folder(target: Path) -> None:
    """Archives often wrap the workspace in one top folder: grade what is inside it."""
    entries = list(target.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        inner = entries[0]
        for child in list(inner.iterdir()):
            child.rename(target / child.name)
        inner.rmdir()
