"""How much memory a candidate process holds, read from /proc: the probe behind checks such as
"a file several times the upload limit is never held in memory" or "a cache stays bounded".

The app may run under a PID-namespace relay (grader/sandbox/isolate.py), so a process is
measured with everything it started: the sum over its tree. /proc is the kernel's own account
and candidate code cannot change another process's entry there. Where there is no /proc (macOS)
the probe reads None, and a check that needs it says so instead of guessing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class MemoryUse:
    """Resident memory of a process tree, in bytes."""

    rss: int  # now (VmRSS)
    peak: int  # the most each process has held at once (VmHWM), summed over the tree
    processes: int


def tree_memory(pid: int) -> MemoryUse | None:
    """The memory of `pid` and its descendants; None if it is gone or /proc is not there."""
    statuses = _all_statuses()
    children: dict[int, list[int]] = {}
    for member, fields in statuses.items():
        children.setdefault(fields.get("PPid", -1), []).append(member)
    tree, todo = [], [pid] if pid in statuses else []
    while todo:
        current = todo.pop()
        tree.append(statuses[current])
        todo += children.get(current, [])
    if not tree:
        return None
    return MemoryUse(rss=sum(fields.get("VmRSS", 0) for fields in tree),
                     peak=sum(fields.get("VmHWM", 0) for fields in tree), processes=len(tree))


def _all_statuses() -> dict[int, dict[str, int]]:
    """Every process's status fields (a scan: this kernel has no /proc/PID/task/TID/children)."""
    statuses = {}
    with contextlib.suppress(OSError):
        for entry in PROC.iterdir():
            if entry.name.isdigit() and (fields := _status(entry)) is not None:
                statuses[int(entry.name)] = fields
    return statuses


def _status(folder: Path) -> dict[str, int] | None:
    """The numeric fields of /proc/PID/status: kB ones in bytes, PPid as it is."""
    try:
        text = (folder / "status").read_text(encoding="ascii", errors="replace")
    except OSError:  # gone meanwhile
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit() and (len(parts) == 1 or parts[1:] == ["kB"]):
            fields[key] = int(parts[0]) * (1024 if len(parts) == 2 else 1)
    return fields
