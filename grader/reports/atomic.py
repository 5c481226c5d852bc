"""Atomic file writes: a report is either the old file or the whole new one, never half of it.

`--resume` trusts the JSON scorecards already in `--out`, and an interviewer may open a report
while a batch is still writing; a crash or Ctrl-C mid-write must not leave a truncated file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644  # what open() gives under the usual umask; mkstemp's 0600 would hide reports


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8) to a temp file beside `path`, fsync it, then os.replace."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return path


def sync_folder(folder: Path) -> None:
    """Make the renames durable too: once per batch of writes, not per file, as it is slow.

    Some platforms cannot open a folder for fsync; the files themselves are synced already.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
