"""Turn an isolation level and this machine's capabilities into process specs and a label."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from grader.sandbox.capabilities import Capabilities, detect_capabilities
from grader.sandbox.spec import Limits, ProcessSpec

# Sandbox uids are drawn from a range no account uses, one per submission, so that
# RLIMIT_NPROC and the final kill sweep see exactly that submission's processes.
UID_BASE = 2_000_000
UID_RANGE = 1_000_000
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Policy:
    level: str
    uid: int | None
    netns: bool
    private_mounts: bool
    limits: Limits
    ipcns: bool = False
    seccomp: bool = False
    userns: bool = False
    pidns: bool = False
    role_budget: bool = False
    missing: tuple[str, ...] = ()  # fences full isolation wants that this machine lacks

    @classmethod
    def choose(cls, level: str, timeout: float, memory_bytes: int = Limits.memory_bytes,
               caps: Capabilities | None = None) -> Policy:
        """The fences this machine gives at `level`, with the kata's time limit and the memory
        of each candidate process (the whole submission keeps its own cap, Limits')."""
        caps = caps or detect_capabilities()
        full = level == "full"
        return cls(
            level=level,
            uid=UID_BASE + secrets.randbelow(UID_RANGE) if full and caps.drop_uid else None,
            netns=full and caps.netns,
            private_mounts=full and caps.private_mounts,
            limits=Limits(cpu_seconds=int(timeout) + 5, memory_bytes=memory_bytes),
            ipcns=full and caps.ipcns,
            seccomp=full and caps.seccomp,
            userns=full and caps.userns,
            pidns=full and caps.pidns,
            role_budget=full and caps.role_budget,
            missing=tuple(caps.missing()) if full else (),
        )

    @property
    def fenced(self) -> bool:
        """Whether any kernel fence beyond a process boundary and rlimits applies: none does on
        macOS, nor where Linux refuses namespaces and seccomp."""
        return any((self.uid is not None, self.userns, self.netns, self.ipcns, self.pidns,
                    self.private_mounts, self.role_budget, self.seccomp))

    def applied(self) -> list[str]:
        """What the scorecard states about this run's isolation, strongest first."""
        names = ["process boundary", "rlimits", "scrubbed env", "isolated python"]
        if self.uid is not None:
            names.append("unprivileged uid")
        if self.userns:
            names.append("user namespace")
        if self.netns:
            names.append("no network (netns)")
        if self.ipcns:
            names.append("private IPC (ipcns)")
        if self.pidns:
            names.append("private PIDs (pidns)")
        if self.private_mounts:
            names.append("private mounts")
            names.append("read-only outside the sandbox")
        if self.role_budget:
            names.append("a process budget per role")
        if self.seccomp:
            names.append("no new sessions or privileges (seccomp)")
        return names

    def spec(self, role: str, *, root: str, workspace: str, home: str, env: dict[str, str],
             args: dict[str, Any], cgroup_procs: tuple[str, ...] = ()) -> ProcessSpec:
        base_env = {"PATH": SAFE_PATH, "HOME": home, "TMPDIR": f"{home}/tmp", "LANG": "C.UTF-8",
                    "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
        return ProcessSpec(role=role, root=root, workspace=workspace, env={**base_env, **env},
                           args=args, limits=self.limits, uid=self.uid, netns=self.netns,
                           private_mounts=self.private_mounts, ipcns=self.ipcns,
                           seccomp=self.seccomp, userns=self.userns, pidns=self.pidns,
                           role_budget=self.role_budget, cgroup_procs=cgroup_procs)
