"""The Python files of a submission, read for comparison only: never imported, never run.

A submission is read as the batch reads it to make its copy (grader/sandbox/folder.py): regular
files only, no link followed, the usual folders (.venv, .git, ...) skipped, archives read entry
by entry without unpacking; a folder's files through `read_candidate_file` (no link, no FIFO, one
name, capped). A file over its cap, or past the submission's budget, is left out rather than
failing the batch: similarity is a hint for the interviewer, and one submission must not make it
slow for all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from grader.errors import UserError
from grader.sandbox.folder import archive_files, is_archive, regular_files
from grader.sandbox.fsuid import read_candidate_file

MAX_FILE_BYTES = 256 << 10  # a hand-written module is far smaller; a generated one says little
MAX_TOTAL_BYTES = 2 << 20
MAX_FILES = 400


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the submission, with "/"
    text: str


def python_files(submission: Path) -> list[SourceFile]:
    """The submission's *.py files in a stable order, within the caps, each read only while the
    caps allow; none from an archive that cannot be read (its scorecard already says so)."""
    found: list[tuple[PurePosixPath, bytes]] = []
    total = 0
    try:
        entries = _archive(submission) if is_archive(submission) else _folder(submission)
        for relative, size, read in entries:
            if len(found) >= MAX_FILES or total + size > MAX_TOTAL_BYTES:
                break
            try:
                data = read()
            except OSError:
                continue  # replaced meanwhile, or not a plain file: nothing to compare
            total += len(data)
            found.append((relative, data))
    except (UserError, OSError):
        return []
    if is_archive(submission):
        found = _lifted(found)
    return [SourceFile(relative.as_posix(), data.decode("utf-8", "replace"))
            for relative, data in found]


_Entry = tuple[PurePosixPath, int, Callable[[], bytes]]


def _folder(folder: Path) -> Iterator[_Entry]:
    for relative, path, size in regular_files(folder, []):
        if relative.suffix == ".py" and relative.parts[:1] != (".kata",) \
                and size <= MAX_FILE_BYTES:
            yield (PurePosixPath(relative.as_posix()), size,
                   partial(read_candidate_file, path, None, MAX_FILE_BYTES))


def _archive(archive: Path) -> Iterator[_Entry]:
    for member, size, open_entry in archive_files(archive):
        if member.suffix == ".py" and size <= MAX_FILE_BYTES:
            yield member, size, partial(_read_entry, open_entry)


def _read_entry(open_entry: Callable[[], IO[bytes]]) -> bytes:
    with open_entry() as stream:
        return stream.read(MAX_FILE_BYTES)


def _lifted(found: list[tuple[PurePosixPath, bytes]]) -> list[tuple[PurePosixPath, bytes]]:
    """As `unpack` lays an archive out: one folder around everything is lifted."""
    tops = {member.parts[0] for member, _ in found}
    if len(tops) == 1 and all(len(member.parts) > 1 for member, _ in found):
        found = [(PurePosixPath(*member.parts[1:]), data) for member, data in found]
    return sorted(found)
