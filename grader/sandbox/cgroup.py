"""A cgroup per submission: its processes together get one cap on memory, processes and CPU.

Per-process rlimits alone let one submission take most of the machine (2 GiB of address space
times its processes). The grader makes the group (cgroup v1's memory, pids and cpu controllers,
which these machines mount read-write for root) below the one it runs in, and each candidate
process joins it before it drops its privileges. An ordinary user gets one where its own group
was delegated to it (made and handed over by root, as systemd's Delegate= does). Each role's
processes sit in a child group of their own, so a limit that is reached is named with the role
that used the most. Where there is no such group to write to, there is none: the scorecard says
so and the rlimits stay.

cgroup v2 is not used: on these machines its hierarchy holds none of these controllers (hybrid
mode), so code for it could not be tried here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.spec import Limits

V1 = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids", "cpu")
CPU_PERIOD_US = 100_000
ROLE_NAMES = {"rpc": "tasks module", "prepare": "migrations", "script": "seed script",
              "app": "app", "tests": "workspace's own tests"}


def _own_path(controller: str) -> str | None:
    """This process's group in the v1 hierarchy of `controller`, from /proc/self/cgroup."""
    with contextlib.suppress(OSError), open("/proc/self/cgroup", encoding="ascii") as table:
        for line in table:
            _, names, path = line.rstrip("\n").split(":", 2)
            if controller in names.split(","):
                return path
    return None


def parent_folders() -> dict[str, Path] | None:
    """The group this process runs in, per controller: where submission groups are made."""
    folders = {}
    for controller in CONTROLLERS:
        if (own := _own_path(controller)) is None:
            return None
        folders[controller] = V1 / controller / own.lstrip("/")
    return folders


def available() -> bool:
    """Whether a submission group can be made here: the group this process runs in is writable
    in each v1 controller (as root, or as a user it was delegated to)."""
    parents = parent_folders()
    return parents is not None and all(os.access(p, os.W_OK) for p in parents.values())


@dataclass
class SubmissionCgroup:
    """The groups of one submission, one folder per controller."""

    folders: dict[str, Path]
    limits: Limits

    @classmethod
    def create(cls, limits: Limits) -> SubmissionCgroup | None:
        if not available():
            return None
        name = f"katabench-{os.getpid()}-{secrets.token_hex(4)}"
        folders = {c: parent / name for c, parent in (parent_folders() or {}).items()}
        group = cls(folders, limits)
        try:
            for folder in folders.values():
                folder.mkdir()
            group._write("memory", "memory.limit_in_bytes", limits.submission_memory_bytes)
            with contextlib.suppress(OSError):  # no swap past the cap, where swap is counted
                group._write("memory", "memory.memsw.limit_in_bytes",
                             limits.submission_memory_bytes)
            group._write("pids", "pids.max", limits.submission_processes)
            group._write("cpu", "cpu.cfs_period_us", CPU_PERIOD_US)
            group._write("cpu", "cpu.cfs_quota_us", int(CPU_PERIOD_US * limits.submission_cpus))
        except OSError:  # a hierarchy that refuses: grade without it, as where there is none
            group.remove()
            return None
        return group

    def _write(self, controller: str, name: str, value: int) -> None:
        (self.folders[controller] / name).write_text(str(value))

    def role_procs(self, role: str) -> list[str]:
        """The cgroup.procs files a process of `role` writes its pid to: a child group per
        role in each controller, made on first use."""
        paths = []
        for folder in self.folders.values():
            child = folder / role
            with contextlib.suppress(FileExistsError):
                child.mkdir()
            paths.append(str(child / "cgroup.procs"))
        return paths

    def limits_reached(self) -> list[str]:
        """Each cap that was hit; for memory, with the role that used the most."""
        reached = []
        memory = self.folders["memory"]
        # Reclaim can keep failcnt at 0 up to the kill; the peak at the cap tells either way.
        if (_read_int(memory / "memory.failcnt") or _read_int(memory / "memory.max_usage_in_bytes")
                >= self.limits.submission_memory_bytes):
            role, peak = self._top_memory()
            by = f" by the {ROLE_NAMES.get(role, role)} ({_size(peak)} at most)" if role else ""
            reached.append(f"memory limit {_size(self.limits.submission_memory_bytes)} "
                           f"reached{by}")
        if _max_events(self.folders["pids"] / "pids.events"):
            reached.append(f"process limit {self.limits.submission_processes} reached")
        return reached

    def _top_memory(self) -> tuple[str | None, int]:
        best: tuple[str | None, int] = (None, 0)
        for child in self.folders["memory"].iterdir():
            peak = _read_int(child / "memory.max_usage_in_bytes") if child.is_dir() else 0
            if peak > best[1]:
                best = (child.name, peak)
        return best

    def remove(self) -> None:
        for folder in self.folders.values():
            remove_group(folder)


def submission_group(procs: str) -> str:
    """The submission's group folder of a role's cgroup.procs file (see role_procs)."""
    return os.path.dirname(os.path.dirname(procs))


def remove_group(folder: Path) -> None:
    """Kill what is left in a submission's group and its roles' groups, then remove them (the
    grader does, or the fork server when the grader died)."""
    with contextlib.suppress(FileNotFoundError):
        for group in [*(c for c in folder.iterdir() if c.is_dir()), folder]:
            _empty(group)
            with contextlib.suppress(OSError):
                group.rmdir()


def _empty(group: Path) -> None:
    for _ in range(100):
        pids = [int(p) for p in _read_text(group / "cgroup.procs").split()]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _read_int(path: Path) -> int:
    text = _read_text(path)
    return int(text) if text.isdigit() else 0


def _max_events(path: Path) -> int:
    for line in _read_text(path).splitlines():
        key, _, value = line.partition(" ")
        if key == "max" and value.isdigit():
            return int(value)
    return 0


def _size(count: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"
