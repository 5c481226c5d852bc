"""What isolation this machine allows, found by trying it in a throwaway child (`kata doctor`)."""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from functools import cache

from grader.sandbox import cgroup, isolate
from grader.sandbox.spec import ProcessSpec

PROBE_UID = 1_999_999  # below the sandbox uids (policy.UID_BASE), used by no account


def _try_in_child(action: object) -> bool:
    pid = os.fork()
    if pid == 0:
        try:
            action()  # type: ignore[operator]
            os._exit(0)
        except BaseException:  # noqa: BLE001 - any failure means "not here"
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@dataclass(frozen=True)
class Capabilities:
    """Each fence this machine allows. As an ordinary user the namespaces come through a user
    namespace (`userns`); where the distribution refuses those, they are all missing."""

    root: bool
    netns: bool
    private_mounts: bool
    postgres_bin: str | None
    ipcns: bool = False
    seccomp: bool = False
    pidns: bool = False
    userns: bool = False
    role_budget: bool = False
    cgroup: bool = False  # limits for a whole submission (cgroup.py); not a namespace fence

    @property
    def drop_uid(self) -> bool:
        return self.root

    def missing(self) -> list[str]:
        """The fences full isolation wants that this machine does not give."""
        wanted = {"no network (netns)": self.netns, "private IPC (ipcns)": self.ipcns,
                  "private PIDs (pidns)": self.pidns, "private mounts": self.private_mounts,
                  "a process budget per role": self.role_budget,
                  "no new sessions (seccomp)": self.seccomp}
        return [name for name, present in wanted.items() if not present]

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "drop_uid": self.drop_uid, "missing": self.missing()}


def find_postgres_bin() -> str | None:
    """The folder of `initdb`/`pg_ctl`/`postgres`: PATH first, then Debian's versioned folders."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres", path=os.path.dirname(os.path.realpath(on_path))):
        return os.path.dirname(os.path.realpath(on_path))
    base = "/usr/lib/postgresql"
    if os.path.isdir(base):
        for version in sorted(os.listdir(base), key=lambda v: (len(v), v), reverse=True):
            folder = os.path.join(base, version, "bin")
            if os.path.isfile(os.path.join(folder, "initdb")):
                return folder
    return None


def _setsid_is_refused() -> None:
    isolate.forbid_new_sessions()
    try:
        os.setsid()
    except PermissionError:
        return
    raise OSError("the seccomp filter let setsid through")


def _probe(**fences: bool) -> bool:
    """Whether a throwaway child can enter these fences, as a candidate process would."""
    root = os.geteuid() == 0
    spec = ProcessSpec(role="probe", root="/tmp", workspace="/", env={},
                       uid=PROBE_UID if root else None, userns=not root, **fences)
    return _try_in_child(lambda: isolate.enter(spec))


@cache
def detect_capabilities() -> Capabilities:
    root = os.geteuid() == 0
    userns = not root and _probe()
    return Capabilities(root=root, netns=_probe(netns=True), ipcns=_probe(ipcns=True),
                        private_mounts=_probe(private_mounts=True), pidns=_probe(pidns=True),
                        role_budget=_probe(role_budget=True), postgres_bin=find_postgres_bin(),
                        userns=userns, seccomp=_try_in_child(_setsid_is_refused),
                        cgroup=cgroup.available())
