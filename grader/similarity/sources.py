"""The Python files of a submission, read for comparison only: never imported, never run.

A submission is read as the batch reads it to make its copy (grader/sandbox/folder.py): regular
files only, no link followed, the usual folders (.venv, .git, ...) skipped, archives read entry
by entry without unpacking; a folder's files through `read_candidate_file` (no link, no FIFO, one
name, capped). A file over its cap, or past the submission's budget, is left out rather than
failing the batch: similarity is a hint for the interviewer, and one submission must not make it
slow for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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
    """The submission's *.py files in a stable order, within the caps; none from an archive
    that cannot be read (its scorecard already says so)."""
    try:
        found = _from_archive(submission) if is_archive(submission) else _from_folder(submission)
    except (UserError, OSError):
        return []
    files: list[SourceFile] = []
    total = 0
    for relative, data in found:
        total += len(data)
        if len(files) >= MAX_FILES or total > MAX_TOTAL_BYTES:
            break
        files.append(SourceFile(relative.as_posix(), data.decode("utf-8", "replace")))
    return files


def _from_folder(folder: Path) -> list[tuple[PurePosixPath, bytes]]:
    found = []
    for relative, path, size in regular_files(folder, []):
        if relative.suffix != ".py" or relative.parts[:1] == (".kata",) or size > MAX_FILE_BYTES:
            continue
        try:
            found.append((PurePosixPath(relative.as_posix()),
                          read_candidate_file(path, None, MAX_FILE_BYTES)))
        except OSError:
            continue  # replaced meanwhile, or not a plain file: nothing to compare
    return found


def _from_archive(archive: Path) -> list[tuple[PurePosixPath, bytes]]:
    """Entries as `unpack` would lay them out: one folder around everything is lifted."""
    found = []
    for member, size, open_entry in archive_files(archive):
        if member.suffix == ".py" and size <= MAX_FILE_BYTES:
            with open_entry() as stream:
                found.append((member, stream.read(MAX_FILE_BYTES)))
    tops = {member.parts[0] for member, _ in found}
    if len(tops) == 1 and all(len(member.parts) > 1 for member, _ in found):
        found = [(PurePosixPath(*member.parts[1:]), data) for member, data in found]
    return sorted(found)
