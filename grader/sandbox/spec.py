"""What the grader asks of one candidate process: the data that crosses to the fork server."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Per-process resource limits; wall-clock time is enforced by the grader, not here."""

    cpu_seconds: int = 60
    memory_bytes: int = 2 << 30
    processes: int = 64  # per role (with role_budget; else per submission under root)
    submission_processes: int = 256  # all of a submission's roles together, under root
    submission_memory_bytes: int = 4 << 30  # all of them together, in its cgroup (root)
    submission_cpus: float = 1.5  # cores, in its cgroup
    submission_disk_bytes: int = 256 << 20  # all it writes, on its own tmpfs (root)
    file_bytes: int = 64 << 20
    open_files: int = 256
    output_bytes: int = 64 << 10


@dataclass(frozen=True)
class ProcessSpec:
    """One candidate process: which role runs, where, as whom, fenced in how."""

    role: str
    root: str  # the submission's private sandbox folder
    workspace: str
    env: dict[str, str]
    args: dict[str, Any] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    uid: int | None = None
    netns: bool = False
    private_mounts: bool = False
    ipcns: bool = False
    seccomp: bool = False
    userns: bool = False  # not root: the namespaces' privileges come from a user namespace
    pidns: bool = False
    role_budget: bool = False  # a nested user namespace: no capabilities, its own process count
    cgroup_procs: tuple[str, ...] = ()  # the submission's cgroups (cgroup.py) it joins first

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProcessSpec:
        return cls(**{**data, "limits": Limits(**data["limits"]),
                      "cgroup_procs": tuple(data.get("cgroup_procs", ()))})
